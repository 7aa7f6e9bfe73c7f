// Value pools drawn by `{L:name}`. Mode "z": Zipf by position (first is most
// common), "u": uniform, "w": each item starts with "weight|".

enum ListMode { case z, u, w }

struct ListSpec {
    let name: String
    let mode: ListMode
    let items: [String]
    init(_ name: String, _ mode: ListMode, _ items: [String]) {
        self.name = name; self.mode = mode; self.items = items
    }
}

let listSpecs: [ListSpec] = [
    // ---- HTTP -------------------------------------------------------------
    ListSpec("method", .w, ["62|GET", "20|POST", "6|PUT", "3|PATCH", "4|DELETE", "1|HEAD", "1|OPTIONS"]),
    ListSpec("status", .w, [
        "700|200", "60|201", "45|204", "12|301", "8|302", "40|304", "30|400", "25|401", "10|403",
        "45|404", "8|409", "6|422", "12|429", "5|500", "3|502", "4|503", "2|504",
    ]),
    ListSpec("status2xx", .w, ["80|200", "15|201", "5|202"]),
    ListSpec("status5xx", .w, ["40|500", "30|502", "25|503", "5|504"]),
    ListSpec("url", .z, [
        "/api/v1/users/{user}",
        "/api/v1/products/{zint:1000:99999}",
        "/api/v1/search?q={L:searchq}&page={int:1:5}",
        "/api/v1/cart/{puuid:30000}/items",
        "/api/v1/users/{user}/orders?page={int:1:20}&limit=50",
        "/static/js/app.{L:assethash}.js",
        "/api/v2/invoices/{seq:480000:40}",
        "/images/products/{zint:1000:99999}/{int:1:6}.webp",
        "/api/v1/session",
        "/api/v1/recommendations/{user}?limit=20",
        "/api/v1/orders/ord_{palnum:12:60000}/status",
        "/api/v1/notifications?since={epoch}",
        "/graphql",
        "/api/v1/auth/token",
        "/static/css/main.{L:assethash}.css",
        "/api/v1/feature-flags",
        "/api/v2/invoices?customer={cust}&status=open",
        "/api/v1/auth/refresh",
        "/favicon.ico",
        "/api/v1/uploads/{uuid}",
        "/api/v1/reports/{tenant}/usage.csv?from={date}",
        "/api/v1/webhooks/stripe",
        "/api/v1/users/{user}/avatar",
        "/api/v1/addresses/{zint:100000:999999}",
        "/api/v1/categories/{L:category}/products?sort=popular",
        "/ws/v2/stream",
        "/api/internal/metrics",
        "/robots.txt",
        "/api/v1/coupons/{L:coupon}/validate",
        "/.env",
        "/wp-login.php",
    ]),
    ListSpec("burl", .z, [
        "/api/v2/invoices/{seq:480000:40}",
        "/api/v2/invoices?customer={cust}&status=open",
        "/api/v2/invoices/{seq:480000:40}/pay",
        "/api/v2/customers/{cust}/payment-methods",
        "/api/v2/invoices",
        "/api/v2/subscriptions/sub_{palnum:14:20000}",
        "/api/v2/customers/{cust}",
        "/api/v2/invoices/{seq:480000:40}/pdf",
        "/api/v2/refunds",
        "/api/v2/usage/{tenant}?period={month}",
        "/actuator/health",
        "/actuator/prometheus",
    ]),
    ListSpec("searchq", .z, [
        "shoes", "wireless+headphones", "usb-c+cable", "coffee", "laptop+stand", "desk+lamp",
        "running+shoes+men", "gift+card", "backpack", "water+bottle", "iphone+case", "standing+desk",
        "mechanical+keyboard", "yoga+mat", "socks", "monitor+27", "air+fryer", "protein", "tent",
    ]),
    ListSpec("assethash", .z, ["3f9a1c2e", "b71d04aa", "9e2c55f0", "1a7be9c3", "c0ffee42"]),
    ListSpec("category", .z, [
        "electronics", "home-kitchen", "sports", "books", "toys", "beauty", "garden", "automotive",
        "fashion", "grocery",
    ]),
    ListSpec("coupon", .z, ["SPRING25", "WELCOME10", "FREESHIP", "VIP-{alnum:6}", "BF2025"]),
    ListSpec("referer", .z, [
        "-", "https://shop.acme.io/", "https://shop.acme.io/cart", "https://www.google.com/",
        "https://shop.acme.io/search", "https://shop.acme.io/account/orders", "https://m.facebook.com/",
        "https://shop.acme.io/products/{zint:1000:99999}", "android-app://com.google.android.gm/",
    ]),
    ListSpec("ua", .z, [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_3_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Mobile/15E148 Safari/604.1",
        "AcmeShop/5.12.1 (Android 14; Pixel 8)",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36",
        "AcmeShop/5.12.0 (iOS 17.3; iPhone15,2)",
        "Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/121.0.6167.178 Mobile Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:123.0) Gecko/20100101 Firefox/123.0",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15",
        "okhttp/4.12.0",
        "kube-probe/1.29",
        "python-requests/2.31.0",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "curl/8.5.0",
        "Go-http-client/2.0",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/121.0.0.0 Safari/537.36",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "Apache-HttpClient/4.5.14 (Java/17.0.10)",
        "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
    ]),
    ListSpec("mime", .z, [
        "image/jpeg", "image/png", "application/pdf", "text/csv", "image/webp", "application/zip",
        "video/mp4", "application/json",
    ]),
    // ---- gateway ----------------------------------------------------------
    ListSpec("upstream", .z, [
        "catalog-svc", "users-svc", "orders-svc", "search-svc", "cart-svc", "billing-svc",
        "auth-svc", "recommendation-svc", "media-svc", "notification-svc", "inventory-svc",
        "pricing-svc",
    ]),
    ListSpec("kubenode", .u, ["10.0.0.21", "10.0.0.22", "10.0.0.23", "10.0.0.24", "10.0.0.25", "10.0.0.26"]),
    ListSpec("ntpsrc", .z, ["10.0.0.5 (ntp1.acme.internal)", "10.0.0.6 (ntp2.acme.internal)", "169.254.169.123 (169.254.169.123)"]),
    ListSpec("aud", .z, ["shop-web", "shop-ios", "shop-android", "partner-api", "admin-console"]),
    ListSpec("scope", .z, [
        "openid profile", "openid profile orders:read", "orders:read orders:write", "admin",
        "catalog:read", "billing:read billing:write", "openid email profile offline_access",
    ]),
    ListSpec("kid", .z, ["k-2026-03-a", "k-2026-02-b", "k-2026-03-b", "legacy-rsa-01"]),
    ListSpec("rlbucket", .z, ["default", "search", "auth", "checkout", "uploads", "graphql"]),
    ListSpec("cipher", .z, [
        "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    ]),
    ListSpec("sni", .z, ["shop.acme.io", "api.acme.io", "m.acme.io", "partners.acme.io", "admin.acme.io"]),
    ListSpec("grpcsvc", .z, [
        "acme.catalog.v1.CatalogService", "acme.users.v1.UserService", "acme.inventory.v1.InventoryService",
        "acme.pricing.v2.PricingService", "acme.orders.v1.OrderService", "grpc.health.v1.Health",
    ]),
    ListSpec("grpcmethod", .z, [
        "GetProduct", "BatchGetProducts", "GetUser", "CheckStock", "Quote", "ListOrders", "Check",
        "ReserveStock", "UpdateProfile",
    ]),
    ListSpec("routed", .z, [
        #"path=/api/v1/products/{zint:1000:99999} route="/api/v1/products/:id" upstream=catalog-svc"#,
        #"path=/api/v1/users/{user} route="/api/v1/users/:id" upstream=users-svc"#,
        #"path=/api/v1/search route="/api/v1/search" upstream=search-svc"#,
        #"path=/api/v1/cart/{puuid:30000}/items route="/api/v1/cart/:id/items" upstream=cart-svc"#,
        #"path=/static/js/app.{L:assethash}.js route="/static/*" upstream=static"#,
        #"path=/api/v1/users/{user}/orders route="/api/v1/users/:id/orders" upstream=orders-svc"#,
        #"path=/api/v2/invoices/{seq:480000:40} route="/api/v2/invoices/:id" upstream=billing-svc"#,
        #"path=/graphql route="/graphql" upstream=graphql-gw"#,
        #"path=/api/v1/recommendations/{user} route="/api/v1/recommendations/:user" upstream=recommendation-svc"#,
        #"path=/api/v1/auth/token route="/api/v1/auth/token" upstream=auth-svc"#,
    ]),
    ListSpec("spanname", .z, [
        "HTTP GET", "proxy.roundtrip", "auth.verify", "ratelimit.check", "cache.get", "HTTP POST",
        "dns.lookup", "grpc.client",
    ]),
    ListSpec("wscode", .w, ["80|1000", "12|1001", "5|1006", "3|1011"]),
    ListSpec("tokreason", .z, [
        "expired", "signature_invalid", "audience_mismatch", "revoked", "malformed", "unknown_kid",
    ]),
    // ---- billing ----------------------------------------------------------
    ListSpec("thr_http", .u, ["http-nio-8080-exec-{lint:1:40}"]),
    ListSpec("thr_pool", .u, ["pool-{int:1:3}-thread-{int:1:16}"]),
    ListSpec("thr_kafka", .u, ["org.springframework.kafka.KafkaListenerEndpointContainer#0-{int:0:2}-C-1"]),
    ListSpec("thr_sched", .z, ["scheduling-1", "scheduling-1", "task-scheduler-{int:1:4}"]),
    ListSpec("thr_hk", .u, ["HikariPool-1 housekeeper"]),
    ListSpec("thr_main", .u, ["main"]),
    ListSpec("thr_gc", .u, ["GcMonitor"]),
    ListSpec("invprefix", .w, ["90|INV", "10|CRN"]),
    ListSpec("currency", .w, ["70|USD", "18|EUR", "8|GBP", "2|CAD", "2|AUD"]),
    ListSpec("paymethod", .z, ["card", "sepa_debit", "ach_debit", "paypal", "apple_pay", "google_pay"]),
    ListSpec("pi", .u, ["pi_{palnum:24:40000}"]),
    ListSpec("re", .u, ["re_{alnum:24}"]),
    ListSpec("topic", .z, [
        "billing.invoice-events", "orders.order-created", "payments.payment-events", "usage.metering",
        "customers.customer-updated",
    ]),
    ListSpec("cachename", .z, ["customers", "price-books", "tax-rates", "invoices", "subscriptions", "fx-rates"]),
    ListSpec("sqlname", .z, [
        "InvoiceRepository.findOpenByCustomer", "CustomerRepository.findById", "InvoiceItemRepository.findByInvoiceId",
        "PaymentRepository.save", "InvoiceRepository.save", "SubscriptionRepository.findActive",
        "UsageRepository.sumByTenantAndPeriod", "LedgerRepository.appendEntries", "TaxRateRepository.findByRegion",
        "OutboxRepository.fetchPending",
    ]),
    ListSpec("jobname", .z, [
        "outbox-relay", "dunning-reminders", "usage-rollup", "invoice-finalizer", "fx-rate-refresh",
        "subscription-renewals", "ledger-reconciliation", "stale-session-cleanup",
    ]),
    ListSpec("heap", .z, ["2048", "4096"]),
    ListSpec("auditaction", .z, [
        "invoice.view", "invoice.create", "invoice.pay", "payment_method.add", "invoice.download",
        "subscription.cancel", "refund.create", "customer.update",
    ]),
    ListSpec("stripeep", .z, ["payment_intents", "payment_intents/{L:pi}/capture", "customers", "refunds", "setup_intents"]),
    ListSpec("emailtpl", .z, ["invoice_ready", "payment_receipt", "payment_failed", "dunning_reminder_1", "refund_issued"]),
    ListSpec("taxregion", .z, ["US-CA", "US-NY", "DE", "GB", "FR", "US-TX", "NL", "CA-ON", "AU", "US-WA"]),
    ListSpec("refundreason", .z, ["requested_by_customer", "duplicate", "fraudulent", "order_cancelled"]),
    ListSpec("roles", .z, ["ROLE_USER", "ROLE_USER, ROLE_BILLING_ADMIN", "ROLE_SERVICE", "ROLE_ADMIN"]),
    ListSpec("pricerule", .z, ["list", "volume-tier-2", "partner-15", "promo-spring", "contract"]),
    ListSpec("field", .z, ["amount", "currency", "customer_id", "due_date", "items[0].quantity", "tax_id", "email"]),
    ListSpec("validation", .z, [
        "must not be null", "must be greater than 0", "must be a valid ISO-4217 code", "must be a future date",
        "size must be between 1 and 255",
    ]),
    ListSpec("declinecode", .z, [
        "insufficient_funds", "do_not_honor", "expired_card", "incorrect_cvc", "lost_card", "generic_decline",
    ]),
    // ---- worker -----------------------------------------------------------
    ListSpec("task", .z, [
        "worker.tasks.webhooks.deliver", "worker.tasks.thumbnails.make_thumbnail", "worker.tasks.sync.sync_invoices",
        "worker.tasks.export.export_tenant", "worker.tasks.email.send_digest", "worker.tasks.search.reindex_product",
        "worker.tasks.reports.render_report", "worker.tasks.cleanup.purge_expired", "worker.tasks.fraud.score_order",
    ]),
    ListSpec("taskresult", .z, ["None", "None", "{{'status': 'ok'}", "True", "{int:0:500}", "'skipped'"]),
    ListSpec("beat", .z, [
        "sync-invoices-every-5m", "purge-expired-hourly", "reindex-dirty-products", "send-daily-digest",
        "render-monthly-reports",
    ]),
    ListSpec("s3bucket", .z, ["acme-prod-exports", "acme-prod-media", "acme-prod-reports", "acme-prod-backups"]),
    ListSpec("imgpath", .z, [
        "media/products/{zint:1000:99999}/{int:1:6}.jpg", "media/avatars/{user}.png", "media/uploads/{uuid}.jpeg",
    ]),
    ListSpec("thumbsize", .z, ["320x320", "160x160", "640x640", "1280x720", "64x64"]),
    ListSpec("fpath", .z, [
        "/var/lib/worker/tmp/{hex:8}/export.csv.gz", "/var/lib/worker/tmp/{hex:8}/report.pdf",
        "/var/lib/worker/cache/thumbs/{zint:1000:99999}_{int:1:6}.webp", "/tmp/tmp{alnum:8}/payload.json",
        "/srv/worker/spool/{date}/{hex:12}.msg",
    ]),
    ListSpec("jobstatus", .z, ["pending", "running", "done", "failed", "retrying"]),
    ListSpec("batchsize", .z, ["100", "500", "50", "1000"]),
    ListSpec("queue", .z, ["default", "webhooks", "thumbnails", "exports", "email", "reports", "search"]),
    ListSpec("extapi", .z, [
        "api.stripe.com", "hooks.slack.com", "api.sendgrid.com", "api.partner-logistics.com",
        "maps.googleapis.com", "api.hubapi.com", "internal-api.acme.local",
    ]),
    ListSpec("extpath", .z, ["shipments", "contacts", "messages", "geocode", "orders", "charges", "events"]),
    ListSpec("webhookevent", .z, [
        "order.created", "invoice.paid", "order.shipped", "customer.updated", "refund.created", "invoice.overdue",
    ]),
    ListSpec("whhost", .z, [
        "partner-{int:1:80}.example.com", "erp.{tenant}.com", "hooks.zapier.com", "webhook.site", "ops.acme-partners.net",
    ]),
    ListSpec("report", .z, ["monthly-usage", "invoice-summary", "churn-cohort", "tax-liability", "ar-aging"]),
    ListSpec("pyexcshort", .z, [
        "KeyError('customer_id')", "TypeError(\"'NoneType' object is not subscriptable\")",
        "ValueError(\"invalid literal for int() with base 10: 'N/A'\")", "ReadTimeout(\"HTTPSConnectionPool(host='{L:extapi}', port=443): Read timed out. (read timeout=10)\")",
        "UnidentifiedImageError('cannot identify image file')", "ZeroDivisionError('division by zero')",
    ]),
    // ---- storage / syslog -------------------------------------------------
    ListSpec("sshuser", .z, ["deploy", "ansible", "ops", "root", "backup", "jdoe", "mchen"]),
    ListSpec("sshkey", .z, [
        "q8m3Z0p4Yk9w1Yc4bJ1v7nT6cP0o4x2Qm8f5Lr3aS1E", "Xb2K9dLr8s0Tq5Vw1Hc6Mn3Jp7Zy4Ru2Ge9Fa0Ok1W",
        "hP4t7Gm2Qx9Lc1Rv6Zb3Ns8Kw5Jd0Yf2Ta7Ue4Mi9o", "Vk1Yr6Lp3Tn8Qd0Wb5Gc2Mz7Hs9Ux4Ja1Ko6Fe3Pi8",
    ]),
    ListSpec("baduser", .z, [
        "admin", "test", "user", "ubuntu", "oracle", "postgres", "git", "guest", "ftpuser", "pi", "support",
        "hadoop", "minecraft", "deployer", "jenkins", "{alnum:6}",
    ]),
    ListSpec("cronjob", .z, [
        "/usr/local/bin/rotate-logs.sh >/dev/null 2>&1", "command -v debian-sa1 > /dev/null && debian-sa1 1 1",
        "/opt/hadoop/bin/hdfs dfsadmin -report > /var/tmp/hdfs-report.txt 2>&1",
        "test -x /usr/sbin/anacron || ( cd / && run-parts --report /etc/cron.hourly )",
        "/usr/local/bin/node-health-check --quiet",
    ]),
    ListSpec("unit", .z, [
        "Session {int:1:9999} of User {L:sshuser}", "Daily apt download activities", "Rotate log files",
        "Cleanup of Temporary Directories", "Message of the Day", "Daily man-db regeneration",
        "Refresh fwupd metadata and update motd",
    ]),
    ListSpec("unitshort", .z, [
        "logrotate", "sysstat-collect", "apt-daily", "systemd-tmpfiles-clean", "motd-news", "man-db", "fwupd-refresh",
    ]),
    ListSpec("disk", .z, ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"]),
    ListSpec("blksize", .w, ["85|134217728", "15|{lint:1024:134217727}"]),
    ListSpec("netdev", .z, [
        "device veth{phex:7:200} entered promiscuous mode", "cni0: port {int:1:30}(veth{phex:7:200}) entered forwarding state",
        "cni0: port {int:1:30}(veth{phex:7:200}) entered disabled state", "device veth{phex:7:200} left promiscuous mode",
        "IPv6: ADDRCONF(NETDEV_CHANGE): veth{phex:7:200}: link becomes ready",
    ]),
    // ---- JSON payload pieces ----------------------------------------------
    ListSpec("product", .z, [
        "Wireless Headphones X2", "USB-C Cable 2m", "Ceramic Coffee Mug", "Running Shoes Air", "Laptop Stand Pro",
        "LED Desk Lamp", "Stainless Water Bottle 750ml", "Yoga Mat 6mm", "Mechanical Keyboard TKL",
        "Cotton Socks 3-Pack", "Phone Case Slim", "Air Fryer 4L", "Camping Tent 2P", "Protein Powder Vanilla 1kg",
        "Backpack 28L", "Monitor 27in QHD", "Gift Card \\\"Spring\\\"", "Bluetooth Speaker Mini",
    ]),
    ListSpec("warehouse", .z, ["FRA-1", "IAD-2", "PDX-1", "LHR-3", "SIN-1"]),
    ListSpec("city", .z, [
        "Berlin", "New York", "London", "Austin", "Paris", "Toronto", "Sydney", "Madrid", "Seattle", "Chicago",
        "Amsterdam", "Munich", "Lyon", "Denver",
    ]),
    ListSpec("country", .z, ["US", "DE", "GB", "FR", "CA", "AU", "ES", "NL"]),
    ListSpec("carrier", .z, ["ups", "dhl", "fedex", "usps", "dpd", "royal-mail"]),
    ListSpec("json_head", .u, [
        #"{{"event":"order.updated","event_id":"{uuid}","order_id":"ord_{palnum:12:60000}","customer":"{cust}","email":"{email}","tenant":"{tenant}","created_at":"{isons}","status":"{L:jobstatus}","currency":"{L:currency}","items":["#,
    ]),
    ListSpec("json_item", .u, [
        #"{{"line_id":{seq:9000000:1},"sku":"SKU-{zint:10000:99999}","name":"{L:product}","qty":{int:1:5},"unit_price":{money:25},"discount":{float:0:0.3},"warehouse":"{L:warehouse}","tags":["{L:category}","{L:coupon}"],"attrs":{{"color":"{L:color}","size":"{L:size}"}}"#,
    ]),
    ListSpec("json_tail", .u, [
        #"],"shipping":{{"name":"{L:first} {L:last}","city":"{L:city}","zip":"{int:10000:99999}","country":"{L:country}","carrier":"{L:carrier}","tracking":"1Z{alnum:16}"},"totals":{{"subtotal":{money:180},"tax":{money:20},"shipping":{money:8},"grand_total":{money:210}},"client":{{"ip":"{cip}","ua":"{S:ua}"},"trace_id":"{trace}"}"#,
    ]),
    ListSpec("color", .z, ["black", "white", "navy", "red", "grey", "green", "beige", "blue"]),
    ListSpec("size", .z, ["M", "L", "S", "XL", "one-size", "42", "44", "10.5"]),
    // ---- entity name parts (used by tenant / email renderers) ---------------
    ListSpec("adj", .u, [
        "blue", "north", "bright", "silver", "rapid", "green", "quiet", "bold", "prime", "urban", "alpine", "lucky",
        "iron", "coastal", "golden", "red", "happy", "swift", "cedar", "solar", "polar", "metro", "clever", "royal",
    ]),
    ListSpec("noun", .u, [
        "harbor", "labs", "works", "foods", "logistics", "retail", "studio", "health", "systems", "outfitters",
        "media", "goods", "supply", "ventures", "bakery", "motors", "analytics", "travel", "garden", "cycles",
    ]),
    ListSpec("first", .u, [
        "james", "mary", "john", "patricia", "robert", "jennifer", "michael", "linda", "david", "elena", "lukas",
        "sofia", "mohammed", "yuki", "wei", "anna", "carlos", "fatima", "olivia", "noah", "emma", "liam", "mia",
        "lucas", "chloe", "raj", "priya", "tom", "sarah", "kevin",
    ]),
    ListSpec("last", .u, [
        "smith", "johnson", "garcia", "mueller", "schmidt", "brown", "lee", "martin", "rossi", "nguyen", "kim",
        "silva", "novak", "tanaka", "wang", "dubois", "kowalski", "jones", "miller", "davis", "lopez", "wilson",
        "anderson", "taylor", "moore", "khan", "patel", "cohen",
    ]),
    ListSpec("domain", .w, [
        "30|gmail.com", "10|yahoo.com", "10|outlook.com", "6|hotmail.com", "5|icloud.com", "3|gmx.de",
        "3|proton.me", "2|web.de", "8|acme-corp.com", "4|example.org",
    ]),
]
