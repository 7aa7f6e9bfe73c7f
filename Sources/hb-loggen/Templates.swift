// The message templates of the simulated deployment. Four services, each with
// its own header style:
//   0 gateway  (Go)      2026-03-14T09:26:53.123Z INFO  [http] ...
//   1 billing  (Java)    2026-03-14 09:26:53.123 [http-nio-8080-exec-7] INFO  com.acme... - ...
//   2 worker   (Python)  2026-03-14 09:26:53,123 - celery.app.trace - INFO - ...
//   3 storage  (syslog)  Mar 14 09:26:53 dn-07 datanode[2211]: ...
// plus 4: headerless stdout/stderr noise. Within one (service, level) bucket
// templates are listed most-frequent first (Zipf by position).

enum Lv: Int { case debug = 0, info, warn, error, fatal }
enum Style: Int { case iso = 0, py, sys, j4, raw }
enum TraceKind: Int { case none = 0, java, javaHdfs, python, go }

/// group 0: the main Zipf mixture; 1: headerless noise; 2: multi-KB payload dumps.
struct TSpec {
    let svc: Int
    let style: Style
    let level: Lv
    let text: String
    let trace: TraceKind
    var group: Int = 0
}

private func long(_ t: TSpec) -> TSpec {
    var c = t
    c.group = 2
    return c
}

private let lvl5 = ["DEBUG", "INFO ", "WARN ", "ERROR", "FATAL"]
private let lvlPy = ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]

private func gw(_ l: Lv, _ comp: String, _ msg: String, _ t: TraceKind = .none) -> TSpec {
    TSpec(svc: 0, style: .iso, level: l, text: " \(lvl5[l.rawValue]) [\(comp)] \(msg)", trace: t)
}
private func jv(_ l: Lv, _ thr: String, _ logger: String, _ msg: String, _ t: TraceKind = .none) -> TSpec {
    TSpec(svc: 1, style: .j4, level: l, text: " [{L:thr_\(thr)}] \(lvl5[l.rawValue]) \(logger) - \(msg)", trace: t)
}
private func py(_ l: Lv, _ logger: String, _ msg: String, _ t: TraceKind = .none) -> TSpec {
    TSpec(svc: 2, style: .py, level: l, text: " - \(logger) - \(lvlPy[l.rawValue]) - \(msg)", trace: t)
}
/// proc is "name[pid-field]" or "kernel"; the host is drawn first.
private func sy(_ l: Lv, _ proc: String, _ msg: String, _ t: TraceKind = .none) -> TSpec {
    TSpec(svc: 3, style: .sys, level: l, text: " {shost} \(proc): \(msg)", trace: t)
}
private func raw(_ msg: String) -> TSpec {
    TSpec(svc: 4, style: .raw, level: .info, text: msg, trace: .none, group: 1)
}

private let DN = "datanode[{spid:0}]"
private let BP = "BP-1473829104-10.0.0.11-1709251200000"
private let IS = "com.acme.billing.service.InvoiceService"
private let PS = "com.acme.billing.service.PaymentService"
private let QL = "com.acme.common.db.QueryLogger"
private let RC = "com.acme.billing.cache.RedisCacheManager"
private let HP = "com.zaxxer.hikari.pool.HikariPool"
private let CC = "org.apache.kafka.clients.consumer.internals.ConsumerCoordinator"
private let SC = "com.acme.billing.integration.StripeClient"
private let JR = "com.acme.billing.scheduler.JobRunner"
private let GC = "com.acme.common.jvm.GcMonitor"
private let EH = "com.acme.billing.web.GlobalExceptionHandler"
private let EL = "com.acme.billing.events.InvoiceEventListener"

let templateSpecs: [TSpec] = [
    // ======================= gateway (Go, ISO-8601) =========================
    gw(.info, "http", #"{cip} - - "{L:method} {L:url} HTTP/1.1" {L:status} {bytes:2400} "{L:referer}" "{S:ua}" {ms:18}ms"#),
    gw(.info, "http", #"{L:kubenode} - - "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.29" {int:0:2}ms"#),
    gw(.info, "proxy", "upstream response upstream={L:upstream} addr={uaddr} status={L:status} duration={dur:12} bytes={bytes:1800} rid={rid}"),
    gw(.info, "http", "request started method={L:method} path={L:url} client={cip}:{cport} rid={rid} trace_id={trace}"),
    gw(.info, "auth", #"token verified sub={user} aud={S:aud} scope="{S:scope}" kid={L:kid} rid={rid}"#),
    gw(.info, "health", "health check passed target={L:upstream} addr={uaddr} latency={dur:1.5}"),
    gw(.info, "ratelimit", "allowed key=user:{user} bucket={L:rlbucket} remaining={int:0:600}/600 window=60s"),
    gw(.info, "grpc", "finished unary call grpc.service={L:grpcsvc} grpc.method={L:grpcmethod} grpc.code=OK grpc.time_ms={fms:4} peer.address={ip}:{port}"),
    gw(.info, "tls", "tls handshake complete client={cip}:{cport} version=TLS1.3 cipher={S:cipher} sni={S:sni} resumed={bool}"),
    gw(.info, "pool", "pool stats upstream={L:upstream} active={int:0:64} idle={int:0:32} waiting={int:0:3} total_conns={lint:100:90000}"),
    gw(.info, "ws", "websocket connected conn={phex:16:3000} user={user} remote={cip}:{cport} proto=v2.stream"),
    gw(.info, "ws", "websocket closed conn={phex:16:3000} code={L:wscode} duration={dur:90000} msgs_in={lint:1:5000} msgs_out={lint:1:20000}"),
    gw(.info, "dns", "resolved {L:upstream}.prod.svc.cluster.local -> {ip} ttl={int:5:30}s"),
    gw(.info, "metrics", "flushed {int:200:900} metrics to statsd at {ip}:8125 in {dur:1}"),
    gw(.info, "config", "route table reloaded from /etc/gateway/routes.yaml routes={int:40:60} checksum={phex:8:12} took={dur:3}"),
    gw(.info, "cache", "response cached key=GET:{L:url} ttl={int:10:600}s size={bytes:3000}"),
    gw(.info, "http", "upload accepted id={uuid} user={user} size={hsize:2000000} content_type={L:mime}"),
    gw(.info, "auth", "session refreshed sid={phex:24:50000} user={user} ip={cip} expires_in=3600"),
    gw(.info, "breaker", "circuit breaker closed upstream={L:upstream} after {int:2:10} successful probes"),
    gw(.info, "config", "feature flags synced version={int:1000:1300} flags={int:80:95} changed={int:0:3}"),

    gw(.debug, "proxy", "connection returned to idle pool upstream={L:upstream}"),
    gw(.debug, "router", "matched route {L:routed}"),
    gw(.debug, "cache", "cache lookup key=GET:{L:url} hit={bool} age={int:0:600}s"),
    gw(.debug, "trace", "span finished name=\"{L:spanname}\" trace_id={trace} span_id={hex:16} parent_id={phex:16:5000} duration={dur:3}"),
    gw(.debug, "proxy", "reusing keepalive connection conn={phex:8:400} upstream={L:upstream} idle={dur:400} reqs={lint:1:5000}"),
    gw(.debug, "http", #"request headers rid={rid} x-forwarded-for={cip} content-length={bytes:500} accept-encoding="gzip, deflate, br""#),
    gw(.debug, "auth", "jwks cache hit kid={L:kid} age={int:0:3600}s"),
    gw(.debug, "http", "compressed response rid={rid} encoding=gzip in={bytes:12000} ratio={float:1.5:9}"),
    gw(.debug, "ratelimit", "token bucket refill bucket={L:rlbucket} tokens={int:0:600} rate={int:5:20}/s"),
    gw(.debug, "breaker", "breaker stats upstream={L:upstream} state=closed failures={int:0:2} successes={lint:10:10000}"),
    gw(.debug, "dns", "dns cache hit {L:upstream}.prod.svc.cluster.local ttl_remaining={int:1:30}s"),

    gw(.warn, "proxy", "slow upstream response upstream={L:upstream} path={L:url} duration={dur:2400} threshold=1s rid={rid}"),
    gw(.warn, "ratelimit", "rate limit exceeded key=user:{user} ip={cip} limit=600/min retry_after={int:1:60}s rid={rid}"),
    gw(.warn, "proxy", #"retrying request upstream={L:upstream} attempt={int:1:3}/3 backoff={ms:200}ms err="read tcp {ip}:{port}->{uaddr}: read: connection reset by peer" rid={rid}"#),
    gw(.warn, "http", "client disconnected before response was written path={L:url} client={cip}:{cport} rid={rid} elapsed={dur:800}"),
    gw(.warn, "tls", "http: TLS handshake error from {cip}:{port}: remote error: tls: bad certificate"),
    gw(.warn, "breaker", "circuit breaker half-open upstream={L:upstream} cooldown={int:10:60}s"),
    gw(.warn, "auth", "token rejected reason={L:tokreason} sub={user} ip={cip} rid={rid}"),
    gw(.warn, "health", "health check degraded target={L:upstream} addr={uaddr} latency={dur:900} consecutive={int:1:3}"),

    gw(.error, "proxy", #"upstream request failed upstream={L:upstream} err="dial tcp {uaddr}: connect: connection refused" rid={rid}"#),
    gw(.error, "proxy", "upstream timeout upstream={L:upstream} path={L:url} after=30s rid={rid}"),
    gw(.error, "http", "panic recovered in handler path={L:url} rid={rid}", .go),
    gw(.error, "http", "failed to write response: write tcp {ip}:8443->{cip}:{cport}: write: broken pipe rid={rid}"),
    gw(.error, "breaker", #"circuit breaker opened upstream={L:upstream} failures={int:5:20} window=30s last_err="context deadline exceeded""#),
    gw(.error, "health", #"health check failed target={L:upstream} err="Get \"http://{uaddr}/healthz\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)""#),

    gw(.fatal, "main", #"failed to start listener addr=:8443 err="listen tcp :8443: bind: address already in use""#),
    gw(.fatal, "main", "unrecoverable error in router goroutine, exiting", .go),

    // ======================= billing (Java, log4j) ==========================
    jv(.info, "http", "com.acme.billing.web.RequestLoggingFilter", "{L:method} {L:burl} status={L:status} time={ms:35}ms rid={rid}"),
    jv(.info, "pool", QL, "query={L:sqlname} rows={lint:1:2000} took={fms:3.2}ms conn=HikariPool-1:{int:1:20}"),
    jv(.info, "http", RC, "cache {L:cachename} hit key={R:cachename}:{cust}"),
    jv(.info, "kafka", EL, "Consumed {int:1:500} records from {L:topic}-{int:0:11} offset={seq:880000000:1} lag={lint:1:5000}"),
    jv(.info, "http", IS, "Created invoice {L:invprefix}-{seq:480000:40} for customer {cust} amount={money:80} {L:currency} items={int:1:12}"),
    jv(.info, "http", RC, "cache {L:cachename} miss key={R:cachename}:{cust} load_time={ms:9}ms"),
    jv(.info, "http", PS, "Payment {L:pi} captured amount={money:80} {L:currency} customer={cust} method={L:paymethod}"),
    jv(.info, "gc", GC, "GC pause (G1 Evacuation Pause) (young) {int:600:1700}M->{int:150:420}M({L:heap}M) {fms:11} ms"),
    jv(.info, "hk", HP, "HikariPool-1 - Pool stats (total={int:10:20}, active={int:0:10}, idle={int:0:10}, waiting=0)"),
    jv(.info, "http", "com.acme.billing.audit.AuditLogger", "audit action={L:auditaction} actor={user} target=invoice/{seq:480000:40} ip={cip} result=success"),
    jv(.info, "pool", SC, "POST https://api.stripe.com/v1/{L:stripeep} -> {L:status2xx} in {ms:280}ms idempotency_key={uuid}"),
    jv(.info, "pool", "com.acme.billing.notify.EmailSender", "Sent invoice email to {email} template={L:emailtpl} message_id=<{hex:16}.{hex:8}@mail.acme.io>"),
    jv(.info, "sched", JR, "Job {T:jobname} started run_id={tid}"),
    jv(.info, "sched", JR, "Job {T:jobname} finished run_id={tid} processed={lint:1:100000} duration={dur:4500}"),
    jv(.info, "kafka", CC, "[Consumer clientId=billing-{int:0:2}, groupId=billing-events] Setting offset for partition {L:topic}-{int:0:11} to the committed offset FetchPosition{{offset={seq:880000000:1}, offsetEpoch=Optional[{int:10:14}], currentLeader=LeaderAndEpoch{{leader=Optional[kafka-{int:0:5}.kafka:9092 (id: {int:0:5} rack: null)], epoch={int:10:14}}}"),
    jv(.info, "http", "com.acme.billing.service.UsageAggregator", "Tenant {tenant} usage aggregated period={month} events={lint:10:1000000} amount={money:300} {L:currency}"),
    jv(.info, "http", "com.acme.billing.service.TaxCalculator", "Tax computed invoice={L:invprefix}-{seq:480000:40} region={L:taxregion} rate={float:0:27}% amount={money:12}"),
    jv(.info, "http", "com.acme.billing.web.HealthController", "health UP db=UP redis=UP kafka=UP diskSpace=UP ({int:20:80}% free)"),
    jv(.info, "kafka", "com.acme.billing.events.OutboxPublisher", "Published {int:1:50} events to {L:topic} partition={int:0:11} batch_id={hex:12} took={ms:6}ms"),
    jv(.info, "pool", "com.acme.billing.service.RefundService", "Refund {L:re} issued for payment {L:pi} amount={money:40} reason={L:refundreason}"),

    jv(.debug, "http", "org.hibernate.SQL", "select i1_0.id,i1_0.amount,i1_0.created_at,i1_0.currency,i1_0.customer_id,i1_0.status,i1_0.version from invoices i1_0 where i1_0.customer_id=? and i1_0.status=? order by i1_0.created_at desc fetch first ? rows only"),
    jv(.debug, "http", "org.springframework.web.servlet.DispatcherServlet", "Completed 200 OK"),
    jv(.debug, "http", "org.hibernate.orm.jdbc.bind", "binding parameter (1:VARCHAR) <- [{cust}]"),
    jv(.debug, "http", "org.hibernate.SQL", "update invoices set amount=?,status=?,updated_at=?,version=? where id=? and version=?"),
    jv(.debug, "http", "org.springframework.web.servlet.DispatcherServlet", "{L:method} \"{L:burl}\", parameters={{masked}"),
    jv(.debug, "http", "com.acme.billing.security.JwtAuthFilter", "Authenticated principal={user} tenant={tenant} roles=[{L:roles}]"),
    jv(.debug, "http", "io.lettuce.core.protocol.CommandHandler", "[channel=0x{phex:8:40}, /{ip}:{port} -> redis-master.prod.svc/{ip}:6379, epid=0x{int:1:9}] write() done"),
    jv(.debug, "kafka", "org.springframework.kafka.listener.KafkaMessageListenerContainer", "Commit list: {{{L:topic}-{int:0:11}=OffsetAndMetadata{{offset={seq:880000000:1}, leaderEpoch={int:10:14}, metadata=''}}"),
    jv(.debug, "hk", HP, "HikariPool-1 - Fill pool skipped, pool has sufficient level or currently being filled (queueDepth=0)."),
    jv(.debug, "http", "org.hibernate.SQL", "insert into invoice_items (amount,description,invoice_id,quantity,sku,id) values (?,?,?,?,?,?)"),
    jv(.debug, "http", "org.hibernate.orm.jdbc.bind", "binding parameter (2:BIGINT) <- [{seq:480000:40}]"),
    jv(.debug, "pool", "org.apache.http.wire", #"http-outgoing-{int:0:40} >> "POST /v1/{L:stripeep} HTTP/1.1[\r][\n]""#),
    jv(.debug, "http", "com.acme.billing.service.PricingEngine", "Resolved price sku=SKU-{zint:10000:99999} list={money:40} discount={int:0:30}% final={money:35} rule={L:pricerule}"),

    jv(.warn, "hk", HP, "HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta={int:1:3}m{int:0:59}s{int:0:999}ms)."),
    jv(.warn, "pool", QL, "Slow query detected query={L:sqlname} took={ms:2200}ms threshold=1000ms rows={lint:1:50000}"),
    jv(.warn, "pool", SC, "Retrying POST https://api.stripe.com/v1/{L:stripeep} attempt={int:1:3} after {ms:600}ms: java.net.SocketTimeoutException: Read timed out"),
    jv(.warn, "kafka", CC, "[Consumer clientId=billing-{int:0:2}, groupId=billing-events] Offset commit failed on partition {L:topic}-{int:0:11} at offset {seq:880000000:1}: The request timed out."),
    jv(.warn, "http", PS, "Payment {L:pi} requires_action (3ds) customer={cust} amount={money:150} {L:currency}"),
    jv(.warn, "gc", GC, "GC pause (G1 Humongous Allocation) (young) {int:1500:1900}M->{int:900:1400}M(2048M) {fms:230} ms exceeds pause target 200 ms"),
    jv(.warn, "http", EH, "Validation failed for request {L:method} {L:burl}: field '{L:field}' {L:validation} rid={rid}"),
    jv(.warn, "hk", HP, "HikariPool-1 - Failed to validate connection org.postgresql.jdbc.PgConnection@{phex:8:60} (This connection has been closed.). Possibly consider using a shorter maxLifetime value."),

    jv(.error, "http", IS, "Failed to finalize invoice {L:invprefix}-{seq:480000:40} for customer {cust}", .java),
    jv(.error, "http", EH, "Unhandled exception processing {L:method} {L:burl} rid={rid}", .java),
    jv(.error, "http", PS, "Payment {L:pi} failed: card_declined ({L:declinecode}) customer={cust} amount={money:90} {L:currency}"),
    jv(.error, "kafka", EL, "Error processing record from {L:topic}-{int:0:11} at offset {seq:880000000:1}, sending to DLT", .java),
    jv(.error, "sched", JR, "Job {T:jobname} failed run_id={tid} after {dur:20000}", .java),
    jv(.error, "pool", "com.zaxxer.hikari.pool.ProxyConnection", "HikariPool-1 - Connection org.postgresql.jdbc.PgConnection@{phex:8:60} marked as broken because of SQLSTATE(08006), ErrorCode(0)", .java),

    jv(.fatal, "main", "org.springframework.boot.SpringApplication", "Application run failed", .java),
    jv(.fatal, "pool", "com.acme.common.jvm.OomGuard", "java.lang.OutOfMemoryError: Java heap space in thread pool-{int:1:3}-thread-{int:1:16}, initiating shutdown"),

    // ======================= worker (Python logging) ========================
    py(.info, "celery.worker.strategy", "Task {T:task}[{tid}] received"),
    py(.info, "celery.app.trace", "Task {T:task}[{tid}] succeeded in {secs:0.6}s: {L:taskresult}"),
    py(.info, "worker.tasks.export", "exported {lint:1:50000} rows for tenant {tenant} to s3://{L:s3bucket}/exports/{tenant:1}/{date}/part-{int:0:20}.csv.gz ({hsize:4000000})"),
    py(.info, "worker.tasks.thumbnails", "generated thumbnail {L:imgpath} {L:thumbsize} in {ms:35}ms"),
    py(.info, "celery.beat", "Scheduler: Sending due task {L:beat} ({L:task})"),
    py(.info, "sqlalchemy.engine.Engine", "SELECT jobs.id, jobs.status, jobs.payload, jobs.attempts FROM jobs WHERE jobs.status = %(status_1)s ORDER BY jobs.created_at LIMIT %(param_1)s"),
    py(.info, "sqlalchemy.engine.Engine", "[cached since {float:1:90000:1}s ago] {{'status_1': '{L:jobstatus}', 'param_1': {L:batchsize}}"),
    py(.info, "worker.queue", "queue depth {L:queue}={lint:1:5000} consumers={int:1:16} oldest_age={dur:4000}"),
    py(.info, "worker.tasks.sync", "synced {int:0:200} invoices for tenant {tenant} cursor={hex:12} has_more={bool}"),
    py(.info, "worker.tasks.export", "processing batch {int:1:400} of {int:400:800} for tenant {tenant}"),
    py(.info, "botocore.credentials", "Found credentials from IAM Role: worker-prod-role"),
    py(.info, "worker.tasks.webhooks", "delivered webhook {L:webhookevent} to https://{L:whhost}/hooks/acme status={L:status2xx} in {ms:240}ms attempt=1"),
    py(.info, "worker.storage", "uploaded {L:fpath} to s3://{L:s3bucket}/{hex:2}/{hex:32} ({bytes:180000} bytes)"),
    py(.info, "celery.worker.consumer.connection", "Connected to amqp://worker:**@{ip}:5672/prod"),
    py(.info, "sqlalchemy.engine.Engine", "UPDATE jobs SET status=%(status)s, finished_at=%(finished_at)s WHERE jobs.id = %(jobs_id)s"),
    py(.info, "worker.reports", "report {L:report} for tenant {tenant} rendered pages={int:1:40} size={hsize:500000} took={secs:3}s"),

    py(.debug, "amqp", "heartbeat_tick : for connection {phex:32:6}"),
    py(.debug, "urllib3.connectionpool", #"https://{L:extapi}:443 "{L:method} /v1/{L:extpath}/{zint:1000:99999} HTTP/1.1" {L:status} {bytes:1400}"#),
    py(.debug, "urllib3.connectionpool", "Starting new HTTPS connection (1): {L:extapi}:443"),
    py(.debug, "worker.locks", "acquired lock job:{phex:16:20000} ttl=30s owner=celery@worker-{int:1:8}"),
    py(.debug, "celery.worker.heartbeat", "heartbeat sent worker=celery@worker-{int:1:8} active={int:0:8} processed={lint:1:900000}"),
    py(.debug, "sqlalchemy.engine.Engine", "[generated in {float:0:0.01:5}s] {{'jobs_id': {seq:7200000:3}, 'status': '{L:jobstatus}'}"),
    py(.debug, "amqp", "heartbeat_tick : Prev sent/recv: {lint:100:90000}/{lint:100:90000}, now - {lint:100:90000}/{lint:100:90000}, monotonic - {float:100000:900000:9}, last_heartbeat_sent - {float:100000:900000:9}, heartbeat int. - 60 for connection {phex:32:6}"),
    py(.debug, "worker.cache", "memo hit fn=resolve_tenant key={tenant} age={int:0:300}s"),
    py(.debug, "botocore.endpoint", "Making request for OperationModel(name=PutObject) with params: {{'url_path': '/{L:s3bucket}/{hex:32}', 'query_string': {{}, 'method': 'PUT', 'headers': {{'User-Agent': 'Boto3/1.34.51 md/Botocore#1.34.51 ua/2.0 os/linux#6.1.0 lang/python#3.11.8'}}"),

    py(.warn, "celery.app.trace", "Task {T:task}[{tid}] retry: Retry in {int:1:300}s: ConnectionError(ProtocolError('Connection aborted.', RemoteDisconnected('Remote end closed connection without response')))"),
    py(.warn, "urllib3.connectionpool", #"Retrying (Retry(total={int:0:2}, connect=None, read=None, redirect=None, status=None)) after connection broken by 'ReadTimeoutError("HTTPSConnectionPool(host='{L:extapi}', port=443): Read timed out. (read timeout=10)")': /v1/{L:extpath}/{zint:1000:99999}"#),
    py(.warn, "worker.tasks.export", "job {phex:16:20000} exceeded soft time limit ({int:60:600}s), tenant={tenant}"),
    py(.warn, "worker.monitor", "memory usage high rss={int:1500:1990}MB limit=2048MB pid={pid} tasks_since_restart={lint:10:5000}"),
    py(.warn, "worker.tasks.webhooks", "webhook delivery to https://{L:whhost}/hooks/acme failed status={L:status5xx} attempt={int:1:8}/8, rescheduling in {int:30:3600}s"),
    py(.warn, "py.warnings", "/usr/local/lib/python3.11/site-packages/urllib3/connectionpool.py:1099: InsecureRequestWarning: Unverified HTTPS request is being made to host '{L:extapi}'. Adding certificate verification is strongly advised."),

    py(.error, "celery.app.trace", "Task {T:task}[{tid}] raised unexpected: {L:pyexcshort}", .python),
    py(.error, "worker.tasks.export", "failed to export tenant {tenant}", .python),
    py(.error, "worker.db", "database error while updating job {phex:16:20000}", .python),
    py(.error, "worker.tasks.webhooks", "giving up on webhook {L:webhookevent} to https://{L:whhost}/hooks/acme after 8 attempts"),
    py(.error, "celery.worker.consumer.consumer", "consumer: Cannot connect to amqp://worker:**@{ip}:5672/prod: [Errno 111] Connection refused. Trying again in {int:2:32}.00 seconds... ({int:1:100}/100)"),

    py(.fatal, "celery.worker", "Unrecoverable error: ConnectionResetError(104, 'Connection reset by peer')", .python),
    py(.fatal, "worker.monitor", "worker celery@worker-{int:1:8} exceeded hard memory limit (rss={int:2049:2600}MB), terminating pid {pid}"),

    // ======================= storage nodes (syslog) =========================
    sy(.info, DN, "INFO datanode.DataNode: Receiving \(BP):{blk} src: /{peerip}:{port} dest: /{hostip}:9866"),
    sy(.info, DN, "INFO DataNode.clienttrace: src: /{hostip}:9866, dest: /{ip}:{port}, bytes: {L:blksize}, op: HDFS_READ, cliID: DFSClient_NONMAPREDUCE_{pnum:400}_1, offset: 0, srvID: {hostuuid}, blockid: \(BP):{blk}, duration(ns): {lint:100000:900000000}"),
    sy(.info, DN, "INFO datanode.DataNode: PacketResponder: \(BP):{blk}, type=LAST_IN_PIPELINE terminating"),
    sy(.info, DN, "INFO datanode.DataNode: Received \(BP):{blk} src: /{peerip}:{port} dest: /{hostip}:9866 of size {L:blksize}"),
    sy(.info, DN, "INFO impl.FsDatasetAsyncDiskService: Deleted \(BP) {blk} URI file:/data/{int:1:12}/dfs/dn/current/\(BP)/current/finalized/subdir{int:0:31}/subdir{int:0:31}/{blkid}"),
    sy(.info, "sshd[{pid}]", "Accepted publickey for {L:sshuser} from {ip} port {port} ssh2: ED25519 SHA256:{L:sshkey}"),
    sy(.info, "sshd[{pid}]", "pam_unix(sshd:session): session opened for user {L:sshuser}(uid={int:1000:1006}) by (uid=0)"),
    sy(.info, "sshd[{pid}]", "pam_unix(sshd:session): session closed for user {L:sshuser}"),
    sy(.info, "CRON[{pid}]", "(root) CMD ({L:cronjob})"),
    sy(.info, "systemd[1]", "Started {L:unit}."),
    sy(.info, "systemd[1]", "{L:unitshort}.service: Deactivated successfully."),
    sy(.info, "chronyd[{spid:1}]", "Selected source {L:ntpsrc}"),
    sy(.info, "kernel", "[{uptime}] {L:netdev}"),
    sy(.info, "dockerd[{spid:3}]", #"time="{isons}" level=info msg="ignoring event" container={phex:64:300} module=libcontainerd namespace=moby topic=/tasks/delete type="*events.TaskDelete""#),
    sy(.info, "systemd-logind[{spid:4}]", "New session {int:1:9999} of user {L:sshuser}."),
    sy(.info, DN, "INFO datanode.DataNode: Successfully sent block report 0x{hex:16} to namenode: nn-1.acme.internal/10.0.0.11:8020,  containing 1 storage report(s), of which we sent 1. The reports had {int:10000:90000} total blocks and used 1 RPC(s). This took {int:1:40} msecs to generate and {int:5:200} msecs for RPC and NN processing. Got back one command: FinalizeCommand/5."),
    sy(.info, DN, "INFO datanode.VolumeScanner: VolumeScanner(/data/{int:1:12}/dfs/dn, DS-{hostuuid}): finished scanning block pool \(BP)"),

    sy(.debug, DN, "DEBUG datanode.DataNode: Number of active connections is: {int:1:40}"),
    sy(.debug, DN, "DEBUG datanode.BlockSender: Sent {bytes:65536} bytes for \(BP):{blk} to /{ip}:{port} packets={int:1:2048}"),
    sy(.debug, "kernel", #"[{uptime}] audit: type=1400 audit({epoch}.{int:100:999}:{int:100:9999}): apparmor="ALLOWED" operation="open" profile="node_exporter" name="/proc/{int:1:40000}/stat" pid={pid} comm="node_exporter" requested_mask="r" denied_mask="r" fsuid=65534 ouid=0"#),

    sy(.warn, "sshd[{pid}]", "Invalid user {L:baduser} from {cip} port {port}"),
    sy(.warn, "sshd[{pid}]", "Failed password for invalid user {L:baduser} from {cip} port {port} ssh2"),
    sy(.warn, "sshd[{pid}]", "Connection closed by invalid user {L:baduser} {cip} port {port} [preauth]"),
    sy(.warn, DN, "WARN datanode.DataNode: Slow BlockReceiver write packet to mirror took {int:300:9000}ms (threshold=300ms), downstream DNs=[{peerip}:9866, {peerip}:9866], blockId={int:1073741825:1080000000}"),
    sy(.warn, "smartd[{spid:2}]", "Device: /dev/sd{L:disk} [SAT], SMART Usage Attribute: 194 Temperature_Celsius changed from {int:30:45} to {int:31:52}"),
    sy(.warn, "kernel", "[{uptime}] TCP: request_sock_TCP: Possible SYN flooding on port 9866. Sending cookies.  Check SNMP counters."),
    sy(.warn, DN, "WARN datanode.DataNode: Block \(BP):{blk} unfinalized and removed."),

    sy(.error, DN, "ERROR datanode.DataNode: {host}.acme.internal:9866:DataXceiver error processing WRITE_BLOCK operation  src: /{peerip}:{port} dst: /{hostip}:9866", .javaHdfs),
    sy(.error, "kernel", "[{uptime}] blk_update_request: I/O error, dev sd{L:disk}, sector {lint:2048:3900000000} op 0x0:(READ) flags 0x80700 phys_seg {int:1:32} prio class 0"),
    sy(.error, "kernel", "[{uptime}] Out of memory: Killed process {pid} (java) total-vm:{int:8000000:12000000}kB, anon-rss:{int:4000000:7900000}kB, file-rss:0kB, shmem-rss:0kB, UID:{int:1000:1010} pgtables:{int:10000:20000}kB oom_score_adj:0"),
    sy(.error, "systemd[1]", "hadoop-datanode.service: Main process exited, code=killed, status=9/KILL"),
    sy(.error, "sshd[{pid}]", "error: kex_exchange_identification: Connection closed by remote host"),

    sy(.fatal, DN, "FATAL datanode.DataNode: Initialization failed for Block pool <registering> (Datanode Uuid unassigned) service to nn-1.acme.internal/10.0.0.11:8020. Exiting.", .javaHdfs),
    sy(.fatal, "kernel", "[{uptime}] EXT4-fs error (device sd{L:disk}1): ext4_find_entry:1661: inode #{lint:2:30000000}: comm java: reading directory lblock 0"),

    // ======================= headerless stdout/stderr noise =================
    raw("WARNING: An illegal reflective access operation has occurred"),
    raw("WARNING: Illegal reflective access by org.springframework.cglib.core.ReflectUtils (file:/app/lib/spring-core-5.3.31.jar) to method java.lang.ClassLoader.defineClass(java.lang.String,byte[],int,java.security.ProtectionDomain)"),
    raw("WARNING: Please consider reporting this to the maintainers of org.springframework.cglib.core.ReflectUtils"),
    raw("Picked up JAVA_TOOL_OPTIONS: -XX:MaxRAMPercentage=75.0 -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError"),
    raw("  warnings.warn("),
    raw("/usr/local/lib/python3.11/site-packages/celery/platforms.py:829: SecurityWarning: You're running the worker with superuser privileges: this is absolutely not recommended!"),
    raw("Killed"),
    raw("[WARN] pool exhausted, waiting for a free connection"),
    raw("{ip} - - \"GET /metrics HTTP/1.1\" 200 {bytes:48000} \"-\" \"Prometheus/2.50.1\""),
    raw("tar: Removing leading `/' from member names"),

    // ======================= long payload dumps (a few KB) ==================
    long(jv(.debug, "http", "com.acme.billing.web.PayloadLoggingFilter", "Request body for POST /api/v2/invoices rid={rid}: {json}")),
    long(gw(.debug, "proxy", "upstream response body upstream={L:upstream} rid={rid} truncated=false body={json}")),
    long(py(.debug, "worker.tasks.webhooks", "webhook payload event=order.updated endpoint=https://{L:whhost}/hooks/acme body={json}")),
]
