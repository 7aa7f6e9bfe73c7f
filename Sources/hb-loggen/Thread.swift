// A minimal detached pthread wrapper (no Foundation).

import Glibc

final class WorkerThread: @unchecked Sendable {
    private let body: () -> Void

    init(_ body: @escaping () -> Void) { self.body = body }

    func start() {
        let ctx = Unmanaged.passRetained(self).toOpaque()
        var tid = pthread_t()
        var attr = pthread_attr_t()
        pthread_attr_init(&attr)
        pthread_attr_setdetachstate(&attr, Int32(PTHREAD_CREATE_DETACHED))
        let rc = pthread_create(&tid, &attr, { raw in
            let t = Unmanaged<WorkerThread>.fromOpaque(raw!).takeRetainedValue()
            t.body()
            return nil
        }, ctx)
        pthread_attr_destroy(&attr)
        if rc != 0 {
            fputs("hb-loggen: cannot start thread (error \(rc))\n", stderr)
            exit(1)
        }
    }
}
