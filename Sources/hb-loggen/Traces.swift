// Stack-trace templates (Java, Python, Go). A fixed "code base" of traces is
// built at start-up; each failing site keeps producing the same frames, as in
// real services, while messages, pointers and goroutine ids vary.

private struct JavaExc {
    let cls: String
    let msg: String
}

private let javaApp = [
    "com.acme.billing.service.InvoiceService.finalizeInvoice(InvoiceService.java:#)",
    "com.acme.billing.service.InvoiceService.createInvoice(InvoiceService.java:#)",
    "com.acme.billing.service.InvoiceService.lambda$recalculate$3(InvoiceService.java:#)",
    "com.acme.billing.service.PaymentService.capture(PaymentService.java:#)",
    "com.acme.billing.service.TaxCalculator.compute(TaxCalculator.java:#)",
    "com.acme.billing.repository.InvoiceRepositoryImpl.findOpenByCustomer(InvoiceRepositoryImpl.java:#)",
    "com.acme.billing.web.InvoiceController.pay(InvoiceController.java:#)",
    "com.acme.billing.web.InvoiceController.create(InvoiceController.java:#)",
    "com.acme.billing.events.InvoiceEventListener.onMessage(InvoiceEventListener.java:#)",
    "com.acme.billing.integration.StripeClient.post(StripeClient.java:#)",
    "com.acme.billing.model.Invoice.addItem(Invoice.java:#)",
    "com.acme.billing.scheduler.JobRunner.runJob(JobRunner.java:#)",
    "com.acme.common.retry.RetryTemplate.execute(RetryTemplate.java:#)",
    "com.acme.billing.service.UsageAggregator.rollup(UsageAggregator.java:#)",
    "com.acme.billing.service.PricingEngine.resolve(PricingEngine.java:#)",
    "java.base/java.util.stream.ReferencePipeline$3$1.accept(ReferencePipeline.java:197)",
    "java.base/java.util.ArrayList.forEach(ArrayList.java:1596)",
    "com.acme.billing.service.InvoiceService$$SpringCGLIB$$0.finalizeInvoice(<generated>)",
    "org.springframework.transaction.interceptor.TransactionInterceptor.invoke(TransactionInterceptor.java:119)",
    "org.springframework.aop.framework.ReflectiveMethodInvocation.proceed(ReflectiveMethodInvocation.java:184)",
]

private let javaTails: [[String]] = [
    [ // Spring MVC on Tomcat
        "java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)",
        "java.base/java.lang.reflect.Method.invoke(Method.java:580)",
        "org.springframework.web.method.support.InvocableHandlerMethod.doInvoke(InvocableHandlerMethod.java:255)",
        "org.springframework.web.method.support.InvocableHandlerMethod.invokeForRequest(InvocableHandlerMethod.java:188)",
        "org.springframework.web.servlet.mvc.method.annotation.ServletInvocableHandlerMethod.invokeAndHandle(ServletInvocableHandlerMethod.java:118)",
        "org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter.invokeHandlerMethod(RequestMappingHandlerAdapter.java:926)",
        "org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter.handleInternal(RequestMappingHandlerAdapter.java:831)",
        "org.springframework.web.servlet.mvc.method.AbstractHandlerMethodAdapter.handle(AbstractHandlerMethodAdapter.java:87)",
        "org.springframework.web.servlet.DispatcherServlet.doDispatch(DispatcherServlet.java:1089)",
        "org.springframework.web.servlet.DispatcherServlet.doService(DispatcherServlet.java:979)",
        "org.springframework.web.servlet.FrameworkServlet.processRequest(FrameworkServlet.java:1014)",
        "org.springframework.web.servlet.FrameworkServlet.doPost(FrameworkServlet.java:914)",
        "jakarta.servlet.http.HttpServlet.service(HttpServlet.java:590)",
        "org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)",
        "jakarta.servlet.http.HttpServlet.service(HttpServlet.java:658)",
        "org.apache.catalina.core.ApplicationFilterChain.internalDoFilter(ApplicationFilterChain.java:205)",
        "org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:149)",
        "org.apache.tomcat.websocket.server.WsFilter.doFilter(WsFilter.java:51)",
        "org.apache.catalina.core.ApplicationFilterChain.internalDoFilter(ApplicationFilterChain.java:174)",
        "org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:149)",
        "org.springframework.web.filter.RequestContextFilter.doFilterInternal(RequestContextFilter.java:100)",
        "org.springframework.web.filter.OncePerRequestFilter.doFilter(OncePerRequestFilter.java:116)",
        "org.apache.catalina.core.StandardWrapperValve.invoke(StandardWrapperValve.java:167)",
        "org.apache.catalina.core.StandardContextValve.invoke(StandardContextValve.java:90)",
        "org.apache.catalina.authenticator.AuthenticatorBase.invoke(AuthenticatorBase.java:482)",
        "org.apache.catalina.core.StandardHostValve.invoke(StandardHostValve.java:115)",
        "org.apache.catalina.valves.ErrorReportValve.invoke(ErrorReportValve.java:93)",
        "org.apache.catalina.core.StandardEngineValve.invoke(StandardEngineValve.java:74)",
        "org.apache.catalina.connector.CoyoteAdapter.service(CoyoteAdapter.java:344)",
        "org.apache.coyote.http11.Http11Processor.service(Http11Processor.java:391)",
        "org.apache.coyote.AbstractProcessorLight.process(AbstractProcessorLight.java:63)",
        "org.apache.coyote.AbstractProtocol$ConnectionHandler.process(AbstractProtocol.java:896)",
        "org.apache.tomcat.util.net.NioEndpoint$SocketProcessor.doRun(NioEndpoint.java:1744)",
        "org.apache.tomcat.util.net.SocketProcessorBase.run(SocketProcessorBase.java:52)",
        "org.apache.tomcat.util.threads.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1191)",
        "org.apache.tomcat.util.threads.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:659)",
        "org.apache.tomcat.util.threads.TaskThread$WrappingRunnable.run(TaskThread.java:61)",
        "java.base/java.lang.Thread.run(Thread.java:1583)",
    ],
    [ // Spring Kafka listener
        "org.springframework.kafka.listener.adapter.MessagingMessageListenerAdapter.invokeHandler(MessagingMessageListenerAdapter.java:383)",
        "org.springframework.kafka.listener.adapter.RecordMessagingMessageListenerAdapter.onMessage(RecordMessagingMessageListenerAdapter.java:92)",
        "org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer.doInvokeOnMessage(KafkaMessageListenerContainer.java:2800)",
        "org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer.invokeOnMessage(KafkaMessageListenerContainer.java:2778)",
        "org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer.doInvokeRecordListener(KafkaMessageListenerContainer.java:2690)",
        "org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer.pollAndInvoke(KafkaMessageListenerContainer.java:1311)",
        "org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer.run(KafkaMessageListenerContainer.java:1247)",
        "java.base/java.util.concurrent.CompletableFuture$AsyncRun.run(CompletableFuture.java:1804)",
        "java.base/java.lang.Thread.run(Thread.java:1583)",
    ],
    [ // Spring scheduler
        "org.springframework.scheduling.support.ScheduledMethodRunnable.runInternal(ScheduledMethodRunnable.java:130)",
        "org.springframework.scheduling.support.ScheduledMethodRunnable.run(ScheduledMethodRunnable.java:124)",
        "org.springframework.scheduling.support.DelegatingErrorHandlingRunnable.run(DelegatingErrorHandlingRunnable.java:54)",
        "java.base/java.util.concurrent.Executors$RunnableAdapter.call(Executors.java:572)",
        "java.base/java.util.concurrent.FutureTask.runAndReset(FutureTask.java:358)",
        "java.base/java.util.concurrent.ScheduledThreadPoolExecutor$ScheduledFutureTask.run(ScheduledThreadPoolExecutor.java:305)",
        "java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1144)",
        "java.base/java.util.concurrent.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:642)",
        "java.base/java.lang.Thread.run(Thread.java:1583)",
    ],
]

private let javaTops: [JavaExc] = [
    JavaExc(cls: "java.lang.IllegalStateException", msg: "Invoice {L:invprefix}-{seq:480000:40} is already finalized"),
    JavaExc(cls: "java.lang.NullPointerException", msg: #"Cannot invoke "com.acme.billing.model.Customer.getTaxId()" because "customer" is null"#),
    JavaExc(cls: "org.springframework.dao.DataIntegrityViolationException", msg: "could not execute statement [ERROR: duplicate key value violates unique constraint \"invoices_number_key\"\n  Detail: Key (number)=({L:invprefix}-{seq:480000:40}) already exists.] [insert into invoices (amount,created_at,currency,customer_id,number,status,version,id) values (?,?,?,?,?,?,?,?)]; SQL [insert into invoices (amount,created_at,currency,customer_id,number,status,version,id) values (?,?,?,?,?,?,?,?)]; constraint [invoices_number_key]"),
    JavaExc(cls: "org.springframework.transaction.CannotCreateTransactionException", msg: "Could not open JPA EntityManager for transaction"),
    JavaExc(cls: "java.lang.IllegalArgumentException", msg: "Unsupported currency: {alnum:3}"),
    JavaExc(cls: "com.acme.billing.integration.StripeApiException", msg: "Stripe returned 502 for POST /v1/payment_intents (request_id=req_{alnum:14})"),
    JavaExc(cls: "java.util.ConcurrentModificationException", msg: ""),
    JavaExc(cls: "org.springframework.orm.ObjectOptimisticLockingFailureException", msg: "Row was updated or deleted by another transaction (or unsaved-value mapping was incorrect) : [com.acme.billing.model.Invoice#{seq:480000:40}]"),
    JavaExc(cls: "com.fasterxml.jackson.databind.exc.InvalidFormatException", msg: "Cannot deserialize value of type `java.math.BigDecimal` from String \"{L:searchq}\": not a valid representation\n at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: {int:20:400}] (through reference chain: com.acme.billing.api.InvoiceRequest[\"items\"]->java.util.ArrayList[{int:0:9}]->com.acme.billing.api.ItemRequest[\"amount\"])"),
    JavaExc(cls: "org.apache.kafka.common.errors.SerializationException", msg: "Error deserializing key/value for partition {L:topic}-{int:0:11} at offset {seq:880000000:1}. If needed, please seek past the record to continue consumption."),
    JavaExc(cls: "java.lang.ArithmeticException", msg: "Non-terminating decimal expansion; no exact representable decimal result."),
    JavaExc(cls: "java.lang.IndexOutOfBoundsException", msg: "Index {int:1:12} out of bounds for length {int:0:1}"),
]

private let javaCauses: [(JavaExc, [String])] = [
    (JavaExc(cls: "java.sql.SQLTransientConnectionException", msg: "HikariPool-1 - Connection is not available, request timed out after 30000ms (total=20, active=20, idle=0, waiting={int:1:40})"), [
        "com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:686)",
        "com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:179)",
        "com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:144)",
        "com.zaxxer.hikari.HikariDataSource.getConnection(HikariDataSource.java:99)",
        "org.hibernate.engine.jdbc.connections.internal.DatasourceConnectionProviderImpl.getConnection(DatasourceConnectionProviderImpl.java:122)",
        "org.hibernate.internal.NonContextualJdbcConnectionAccess.obtainConnection(NonContextualJdbcConnectionAccess.java:46)",
        "org.hibernate.resource.jdbc.internal.LogicalConnectionManagedImpl.acquireConnectionIfNeeded(LogicalConnectionManagedImpl.java:126)",
    ]),
    (JavaExc(cls: "org.postgresql.util.PSQLException", msg: "ERROR: deadlock detected\n  Detail: Process {int:1000:60000} waits for ShareLock on transaction {seq:91000000:2}; blocked by process {int:1000:60000}.\nProcess {int:1000:60000} waits for ShareLock on transaction {seq:91000000:2}; blocked by process {int:1000:60000}.\n  Hint: See server log for query details.\n  Where: while updating tuple ({int:0:9000},{int:1:40}) in relation \"invoices\""), [
        "org.postgresql.core.v3.QueryExecutorImpl.receiveErrorResponse(QueryExecutorImpl.java:2725)",
        "org.postgresql.core.v3.QueryExecutorImpl.processResults(QueryExecutorImpl.java:2412)",
        "org.postgresql.core.v3.QueryExecutorImpl.execute(QueryExecutorImpl.java:371)",
        "org.postgresql.jdbc.PgStatement.executeInternal(PgStatement.java:502)",
        "org.postgresql.jdbc.PgStatement.execute(PgStatement.java:419)",
        "org.postgresql.jdbc.PgPreparedStatement.executeWithFlags(PgPreparedStatement.java:194)",
        "org.postgresql.jdbc.PgPreparedStatement.executeUpdate(PgPreparedStatement.java:155)",
        "com.zaxxer.hikari.pool.ProxyPreparedStatement.executeUpdate(ProxyPreparedStatement.java:61)",
        "com.zaxxer.hikari.pool.HikariProxyPreparedStatement.executeUpdate(HikariProxyPreparedStatement.java)",
        "org.hibernate.engine.jdbc.internal.ResultSetReturnImpl.executeUpdate(ResultSetReturnImpl.java:194)",
    ]),
    (JavaExc(cls: "java.net.SocketTimeoutException", msg: "Read timed out"), [
        "java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:288)",
        "java.base/sun.nio.ch.NioSocketImpl.implRead(NioSocketImpl.java:314)",
        "java.base/sun.nio.ch.NioSocketImpl.read(NioSocketImpl.java:355)",
        "java.base/sun.nio.ch.NioSocketImpl$1.read(NioSocketImpl.java:808)",
        "java.base/java.net.Socket$SocketInputStream.read(Socket.java:966)",
        "java.base/sun.security.ssl.SSLSocketInputRecord.read(SSLSocketInputRecord.java:484)",
        "java.base/sun.security.ssl.SSLSocketInputRecord.readHeader(SSLSocketInputRecord.java:478)",
        "java.base/sun.security.ssl.SSLSocketImpl.readApplicationRecord(SSLSocketImpl.java:1465)",
        "java.base/sun.security.ssl.SSLSocketImpl$AppInputStream.read(SSLSocketImpl.java:1069)",
        "org.apache.http.impl.io.SessionInputBufferImpl.streamRead(SessionInputBufferImpl.java:137)",
        "org.apache.http.impl.io.SessionInputBufferImpl.fillBuffer(SessionInputBufferImpl.java:153)",
        "org.apache.http.impl.conn.DefaultHttpResponseParser.parseHead(DefaultHttpResponseParser.java:56)",
        "org.apache.http.impl.execchain.MainClientExec.execute(MainClientExec.java:272)",
        "org.apache.http.impl.client.InternalHttpClient.doExecute(InternalHttpClient.java:186)",
        "org.apache.http.impl.client.CloseableHttpClient.execute(CloseableHttpClient.java:83)",
    ]),
    (JavaExc(cls: "java.net.ConnectException", msg: "Connection refused"), [
        "java.base/sun.nio.ch.Net.pollConnect(Native Method)",
        "java.base/sun.nio.ch.Net.pollConnectNow(Net.java:682)",
        "java.base/sun.nio.ch.NioSocketImpl.timedFinishConnect(NioSocketImpl.java:542)",
        "java.base/sun.nio.ch.NioSocketImpl.connect(NioSocketImpl.java:592)",
        "java.base/java.net.SocksSocketImpl.connect(SocksSocketImpl.java:327)",
        "java.base/java.net.Socket.connect(Socket.java:751)",
        "org.apache.http.conn.socket.PlainConnectionSocketFactory.connectSocket(PlainConnectionSocketFactory.java:75)",
        "org.apache.http.impl.conn.DefaultHttpClientConnectionOperator.connect(DefaultHttpClientConnectionOperator.java:142)",
    ]),
]

private let hdfsTops: [JavaExc] = [
    JavaExc(cls: "java.io.IOException", msg: "Premature EOF from inputStream"),
    JavaExc(cls: "java.io.IOException", msg: "Connection reset by peer"),
    JavaExc(cls: "java.net.SocketTimeoutException", msg: "60000 millis timeout while waiting for channel to be ready for read. ch : java.nio.channels.SocketChannel[connected local=/{ip}:9866 remote=/{ip}:{port}]"),
    JavaExc(cls: "org.apache.hadoop.hdfs.server.datanode.ReplicaAlreadyExistsException", msg: "Block BP-1473829104-10.0.0.11-1709251200000:{blk} already exists in state FINALIZED and thus cannot be created."),
    JavaExc(cls: "org.apache.hadoop.util.DiskChecker$DiskErrorException", msg: "Too many failed volumes - current valid volumes: {int:8:11}, volumes configured: 12, volumes failed: {int:1:4}, volume failures tolerated: 0"),
]

private let hdfsFrames = [
    "org.apache.hadoop.hdfs.protocol.datatransfer.PacketReceiver.doReadFully(PacketReceiver.java:213)",
    "org.apache.hadoop.hdfs.protocol.datatransfer.PacketReceiver.doRead(PacketReceiver.java:134)",
    "org.apache.hadoop.hdfs.protocol.datatransfer.PacketReceiver.receiveNextPacket(PacketReceiver.java:109)",
    "org.apache.hadoop.hdfs.server.datanode.BlockReceiver.receivePacket(BlockReceiver.java:528)",
    "org.apache.hadoop.hdfs.server.datanode.BlockReceiver.receiveBlock(BlockReceiver.java:971)",
    "org.apache.hadoop.hdfs.server.datanode.DataXceiver.writeBlock(DataXceiver.java:891)",
    "org.apache.hadoop.hdfs.protocol.datatransfer.Receiver.opWriteBlock(Receiver.java:173)",
    "org.apache.hadoop.hdfs.protocol.datatransfer.Receiver.processOp(Receiver.java:107)",
    "org.apache.hadoop.hdfs.server.datanode.DataXceiver.run(DataXceiver.java:290)",
    "java.base/java.lang.Thread.run(Thread.java:829)",
]

// ---- Python -----------------------------------------------------------------

private let pyCelery = [
    ("/usr/local/lib/python3.11/site-packages/celery/app/trace.py", "477", "trace_task", "R = retval = fun(*args, **kwargs)"),
    ("/usr/local/lib/python3.11/site-packages/celery/app/trace.py", "760", "__protected_call__", "return self.run(*args, **kwargs)"),
]

private let pyApp = [
    ("/app/worker/tasks/export.py", "export_tenant", "rows = fetch_rows(tenant_id, since=since)"),
    ("/app/worker/db.py", "fetch_rows", "return session.execute(stmt).mappings().all()"),
    ("/app/worker/tasks/thumbnails.py", "make_thumbnail", "img = Image.open(io.BytesIO(blob))"),
    ("/app/worker/billing_sync.py", "sync_invoice", #"payload["customer_id"] = invoice["customer"]["id"]"#),
    ("/app/worker/storage.py", "upload", "self.client.put_object(Bucket=bucket, Key=key, Body=body)"),
    ("/app/worker/http.py", "get_json", "resp = self.session.get(url, timeout=self.timeout)"),
    ("/app/worker/tasks/webhooks.py", "deliver", "resp = client.post(endpoint.url, json=body, headers=sign(body))"),
    ("/app/worker/tasks/reports.py", "render_report", "ratio = totals[\"paid\"] / totals[\"invoiced\"]"),
    ("/app/worker/tasks/sync.py", "sync_invoices", "for page in paginate(api.list_invoices, cursor=cursor):"),
    ("/app/worker/utils/retry.py", "wrapper", "return fn(*args, **kwargs)"),
    ("/app/worker/models.py", "from_row", "amount_cents=int(row[\"amount\"]),"),
]

private let pyTails: [([(String, String, String, String)], String)] = [
    ([
        ("/usr/local/lib/python3.11/site-packages/sqlalchemy/engine/base.py", "1416", "execute", "return meth("),
        ("/usr/local/lib/python3.11/site-packages/sqlalchemy/engine/base.py", "1639", "_execute_clauseelement", "ret = self._execute_context("),
        ("/usr/local/lib/python3.11/site-packages/sqlalchemy/engine/base.py", "1967", "_exec_single_context", "self._handle_dbapi_exception("),
        ("/usr/local/lib/python3.11/site-packages/sqlalchemy/engine/default.py", "924", "do_execute", "cursor.execute(statement, parameters)"),
    ], "sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) server closed the connection unexpectedly\n\tThis probably means the server terminated abnormally\n\tbefore or while processing the request.\n\n[SQL: UPDATE jobs SET status=%(status)s, finished_at=%(finished_at)s WHERE jobs.id = %(jobs_id)s]\n[parameters: {{'status': 'done', 'finished_at': datetime.datetime(2026, 3, 14, {int:0:23}, {int:0:59}, {int:0:59}, {int:0:999999}), 'jobs_id': {seq:7200000:3}}]\n(Background on this error at: https://sqlalche.me/e/20/e3q8)"),
    ([
        ("/usr/local/lib/python3.11/site-packages/botocore/client.py", "553", "_api_call", "return self._make_api_call(operation_name, kwargs)"),
        ("/usr/local/lib/python3.11/site-packages/botocore/client.py", "1009", "_make_api_call", "raise error_class(parsed_response, operation_name)"),
    ], "botocore.exceptions.ClientError: An error occurred (SlowDown) when calling the PutObject operation (reached max retries: 4): Please reduce your request rate."),
    ([
        ("/usr/local/lib/python3.11/site-packages/requests/sessions.py", "602", "get", #"return self.request("GET", url, **kwargs)"#),
        ("/usr/local/lib/python3.11/site-packages/requests/sessions.py", "589", "request", "resp = self.send(prep, **send_kwargs)"),
        ("/usr/local/lib/python3.11/site-packages/requests/sessions.py", "703", "send", "r = adapter.send(request, **kwargs)"),
        ("/usr/local/lib/python3.11/site-packages/requests/adapters.py", "532", "send", "raise ReadTimeout(e, request=request)"),
    ], "requests.exceptions.ReadTimeout: HTTPSConnectionPool(host='{L:extapi}', port=443): Read timed out. (read timeout=10)"),
    ([], "KeyError: 'customer_id'"),
    ([], "TypeError: 'NoneType' object is not subscriptable"),
    ([], "ValueError: invalid literal for int() with base 10: '{L:searchq}'"),
    ([
        ("/usr/local/lib/python3.11/site-packages/PIL/Image.py", "3339", "open", "raise UnidentifiedImageError(msg)"),
    ], "PIL.UnidentifiedImageError: cannot identify image file <_io.BytesIO object at 0x7f{hex:10}>"),
    ([], "ZeroDivisionError: division by zero"),
]

// ---- Go ---------------------------------------------------------------------

private let goHeads = [
    "panic: runtime error: invalid memory address or nil pointer dereference\n[signal SIGSEGV: segmentation violation code=0x1 addr=0x{int:0:9}{int:0:9} pc=0x{hex:6}]",
    "panic: runtime error: index out of range [{int:1:64}] with length {int:0:1}",
    "panic: assignment to entry in nil map",
    "panic: send on closed channel",
    "fatal error: concurrent map writes",
    "panic: runtime error: slice bounds out of range [:{int:100:5000}] with capacity {int:0:99}",
]

private let goApp = [
    ("github.com/acme/gateway/internal/proxy.(*Upstream).RoundTrip(0xc000{hex:6}, 0xc000{hex:6})", "/src/internal/proxy/upstream.go"),
    ("github.com/acme/gateway/internal/auth.(*Verifier).Verify(0xc000{hex:6}, {{0xc000{hex:6}, 0x{int:10:99}})", "/src/internal/auth/jwt.go"),
    ("github.com/acme/gateway/internal/ratelimit.(*Limiter).Allow(0xc000{hex:6}, {{0xc000{hex:6}, 0x1c})", "/src/internal/ratelimit/limiter.go"),
    ("github.com/acme/gateway/internal/router.(*Router).ServeHTTP(0xc000{hex:6}, {{0x1b2e3c0, 0xc000{hex:6}}, 0xc000{hex:6})", "/src/internal/router/router.go"),
    ("github.com/acme/gateway/internal/middleware.Logging.func1({{0x1b2e3c0, 0xc000{hex:6}}, 0xc000{hex:6})", "/src/internal/middleware/logging.go"),
    ("github.com/acme/gateway/internal/cache.(*LRU).Get(...)", "/src/internal/cache/lru.go"),
    ("github.com/acme/gateway/internal/proxy.(*Balancer).Pick(0xc000{hex:6}, {{0xc000{hex:6}, 0xb})", "/src/internal/proxy/balancer.go"),
    ("github.com/acme/gateway/internal/middleware.Recover.func1({{0x1b2e3c0, 0xc000{hex:6}}, 0xc000{hex:6})", "/src/internal/middleware/recover.go"),
]

private let goTail = [
    ("net/http.HandlerFunc.ServeHTTP(0xc000{hex:6}, {{0x1b2e3c0, 0xc000{hex:6}}, 0xc000{hex:6})", "/usr/local/go/src/net/http/server.go:2171 +0x29"),
    ("net/http.serverHandler.ServeHTTP({{0xc000{hex:6}}, {{0x1b2e3c0, 0xc000{hex:6}}, 0xc000{hex:6})", "/usr/local/go/src/net/http/server.go:3142 +0x8e"),
    ("net/http.(*conn).serve(0xc000{hex:6}, {{0x1b31a58, 0xc000{hex:6}})", "/usr/local/go/src/net/http/server.go:2044 +0x5e8"),
    ("created by net/http.(*Server).Serve in goroutine 1", "/usr/local/go/src/net/http/server.go:3290 +0x4b4"),
]

struct TraceBuilder {
    var rng = Rng(seed: 0x7EA5_E0F5_7ACE)

    private mutating func pick<T>(_ a: [T]) -> T { a[Int(rng.below(UInt64(a.count)))] }

    private mutating func javaFrames(_ app: Int) -> [String] {
        var f: [String] = []
        var used = Set<Int>()
        for _ in 0..<app {
            let i = Int(rng.below(UInt64(javaApp.count)))
            if used.contains(i) { continue }
            used.insert(i)
            f.append(javaApp[i].replacingHash(with: String(rng.range(40, 900))))
        }
        return f
    }

    /// Java traces for the billing service.
    mutating func java(count: Int) -> [String] {
        (0..<count).map { _ in
            let top = pick(javaTops)
            var s = top.cls + (top.msg.isEmpty ? "" : ": " + top.msg)
            var frames = javaFrames(rng.range(2, 7))
            frames += pick(javaTails)
            for fr in frames { s += "\n\tat " + fr }
            if rng.chance(0.55) {
                let (cause, cf) = pick(javaCauses)
                s += "\nCaused by: " + cause.cls + ": " + cause.msg
                let n = rng.range(3, cf.count)
                for fr in cf.prefix(n) { s += "\n\tat " + fr }
                let own = javaFrames(rng.range(1, 3))
                for fr in own { s += "\n\tat " + fr }
                s += "\n\t... \(frames.count - rng.range(0, 3)) more"
            }
            return s
        }
    }

    /// Java traces for the HDFS datanode.
    mutating func javaHdfs(count: Int) -> [String] {
        (0..<count).map { _ in
            let top = pick(hdfsTops)
            var s = top.cls + ": " + top.msg
            let skip = rng.range(0, 3)
            for fr in hdfsFrames.dropFirst(skip) { s += "\n\tat " + fr }
            return s
        }
    }

    mutating func python(count: Int) -> [String] {
        (0..<count).map { _ in
            var s = "Traceback (most recent call last):"
            for (file, line, fn, code) in pyCelery { s += "\n  File \"\(file)\", line \(line), in \(fn)\n    \(code)" }
            var used = Set<Int>()
            for _ in 0..<rng.range(1, 4) {
                let i = Int(rng.below(UInt64(pyApp.count)))
                if used.contains(i) { continue }
                used.insert(i)
                let (file, fn, code) = pyApp[i]
                s += "\n  File \"\(file)\", line \(rng.range(12, 400)), in \(fn)\n    \(code.replacingOccurrencesOfBrace())"
            }
            let (frames, last) = pick(pyTails)
            for (file, line, fn, code) in frames { s += "\n  File \"\(file)\", line \(line), in \(fn)\n    \(code)" }
            if rng.chance(0.25) {
                // Chained exception, as Python prints it.
                s += "\n" + last
                s += "\n\nThe above exception was the direct cause of the following exception:\n\nTraceback (most recent call last):"
                let (file, fn, code) = pick(pyApp)
                s += "\n  File \"\(file)\", line \(rng.range(12, 400)), in \(fn)\n    \(code.replacingOccurrencesOfBrace())"
                s += "\nworker.errors.TaskFailed: task failed after {int:1:5} attempt(s)"
            } else {
                s += "\n" + last
            }
            return s
        }
    }

    mutating func go(count: Int) -> [String] {
        (0..<count).map { _ in
            var s = pick(goHeads)
            s += "\n\ngoroutine {int:1:90000} [running]:"
            var used = Set<Int>()
            for _ in 0..<rng.range(2, 5) {
                let i = Int(rng.below(UInt64(goApp.count)))
                if used.contains(i) { continue }
                used.insert(i)
                let (fn, file) = goApp[i]
                s += "\n" + fn + "\n\t" + file + ":\(rng.range(30, 400))"
                if !fn.hasSuffix("(...)") { s += " +0x" + String(rng.range(16, 1200), radix: 16) }
            }
            for (fn, loc) in goTail { s += "\n" + fn + "\n\t" + loc }
            return s
        }
    }
}

private extension String {
    func replacingHash(with v: String) -> String {
        var out = ""
        for c in self { if c == "#" { out += v } else { out.append(c) } }
        return out
    }

    /// Python source lines contain `{`; escape them for the template compiler.
    func replacingOccurrencesOfBrace() -> String {
        var out = ""
        for c in self { if c == "{" { out += "{{" } else { out.append(c) } }
        return out
    }
}
