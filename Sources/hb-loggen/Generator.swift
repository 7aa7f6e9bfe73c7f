// The hot path: fills one block of output with `eventsPerBlock` events.
// Block k depends only on (seed, k), so blocks can be generated on any thread
// in any order and the output is still byte-identical for a seed.

import Glibc

/// Output bytes of one block (reused between blocks).
/// Fills block `k` of the output; the bytes depend only on the seed and `k`.
protocol BlockGenerator {
    func generate(block k: Int, into buf: ByteBuf)
}

final class ByteBuf: @unchecked Sendable {
    var p: UnsafeMutablePointer<UInt8>
    var count = 0
    var cap: Int

    init(capacity: Int) {
        cap = capacity
        p = .allocate(capacity: capacity)
    }
}

private let digitPairs: [UInt8] = {
    var a: [UInt8] = []
    for i in 0..<100 { a.append(48 + UInt8(i / 10)); a.append(48 + UInt8(i % 10)) }
    return a
}()
private let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
private let base62: [UInt8] = Array("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)
private let upstreamPorts: [UInt64] = [8080, 9090, 50051, 8443, 8080, 3000, 8080, 9090]
private let monthNames: [UInt8] = Array("JanFebMarAprMayJunJulAugSepOctNovDec".utf8)
private let publicFirstOctets: [UInt64] = [
    23, 24, 31, 34, 35, 37, 45, 46, 47, 50, 51, 52, 54, 62, 64, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76,
    77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 104, 107,
    108, 109, 141, 142, 151, 157, 162, 176, 178, 185, 188, 193, 195, 199, 203, 212, 213, 217,
]

/// Start of the simulated log: 2026-03-14T06:00:00Z, in microseconds.
let baseEpochMicros: Int64 = 1_773_468_000 * 1_000_000

struct GenParams {
    static let eventsPerBlock = 32_768
    static let meanGapMicros = 900.0          // ~1100 events per simulated second
    static let storageHosts = 12
    static let ridRing = 48
    static let blkRing = 64
    static let taskRing = 64
    static let sessions = 256
}

final class Generator: BlockGenerator {
    let m: Model
    let seed: UInt64
    var rng: Rng

    // Output.
    var out: UnsafeMutablePointer<UInt8>
    var n = 0
    var cap = 0

    // Fast-access copies of shared tables.
    let lit: UnsafeMutablePointer<UInt8>
    let ops: UnsafeMutablePointer<Op>
    let pairs: UnsafeMutablePointer<UInt8>
    let hexd: UnsafeMutablePointer<UInt8>
    let b62: UnsafeMutablePointer<UInt8>

    // Simulated clock.
    var now: Int64 = 0
    var curSec: Int64 = -1
    let dtp: UnsafeMutablePointer<UInt8>            // YYYY-MM-DD HH:MM:SS of the current second
    let sysp: UnsafeMutablePointer<UInt8>           // Mon dd HH:MM:SS
    var memoBlock = 0                               // blockStart(memoBlock) == memoStart
    var memoStart: Int64 = 0
    let times: UnsafeMutablePointer<Int64>
    let cum: UnsafeMutablePointer<Double>
    var globalEvent: Int64 = 0

    // Storage hosts.
    let hostAlias: AliasTable
    let hostNames: UnsafeMutablePointer<UInt8>      // 5 bytes each: dn-07
    let hostUUIDs: UnsafeMutablePointer<UInt8>      // 36 bytes each
    let hostPids: UnsafeMutablePointer<UInt64>      // 8 per host
    let hostBoot: UnsafeMutablePointer<Int64>
    var curHost = 0

    // In-flight request ids and active HDFS blocks.
    let ridA: UnsafeMutablePointer<UInt64>
    let traceA: UnsafeMutablePointer<UInt64>
    let traceB: UnsafeMutablePointer<UInt64>
    var ridSlot = 0
    var lastTenant: UInt64 = 0
    // Running tasks (celery tasks, scheduler runs).
    let tidA: UnsafeMutablePointer<UInt64>
    let tidB: UnsafeMutablePointer<UInt64>
    // Client sessions: user, client address and port travel together.
    let sessUser: UnsafeMutablePointer<UInt64>
    let sessCip: UnsafeMutablePointer<UInt64>
    let sessPort: UnsafeMutablePointer<UInt64>
    let sessSeed: UnsafeMutablePointer<UInt64>
    var sessSlot = -1
    var lastTemplate = -1
    var keepSession = false
    var taskSlot = -1
    var taskList = 0
    var blkSlot = -1
    let stickiness = 0.4
    let lastPick: UnsafeMutablePointer<Int>
    let blkIds: UnsafeMutablePointer<UInt64>

    init(model: Model, seed: UInt64) {
        m = model
        self.seed = seed
        rng = Rng(seed: seed)
        memoStart = Generator.firstStart(seed: seed)
        out = .allocate(capacity: 1)
        lit = model.lit
        ops = model.ops
        pairs = frozen(digitPairs)
        hexd = frozen(hexDigits)
        b62 = frozen(base62)
        dtp = .allocate(capacity: 19)
        sysp = .allocate(capacity: 15)
        times = .allocate(capacity: GenParams.eventsPerBlock + 1)
        cum = .allocate(capacity: GenParams.eventsPerBlock + 1)

        let hc = GenParams.storageHosts
        hostAlias = AliasTable(weights: (0..<hc).map { 1.0 / Double($0 + 2) })
        hostNames = .allocate(capacity: hc * 5)
        hostUUIDs = .allocate(capacity: hc * 36)
        hostPids = .allocate(capacity: hc * 8)
        hostBoot = .allocate(capacity: hc)
        ridA = .allocate(capacity: GenParams.ridRing)
        traceA = .allocate(capacity: GenParams.ridRing)
        traceB = .allocate(capacity: GenParams.ridRing)
        blkIds = .allocate(capacity: GenParams.blkRing)
        lastPick = .allocate(capacity: listSpecs.count)
        tidA = .allocate(capacity: GenParams.taskRing)
        tidB = .allocate(capacity: GenParams.taskRing)
        sessUser = .allocate(capacity: GenParams.sessions)
        sessCip = .allocate(capacity: GenParams.sessions)
        sessPort = .allocate(capacity: GenParams.sessions)
        sessSeed = .allocate(capacity: GenParams.sessions)
        lastPick.initialize(repeating: 0, count: listSpecs.count)
        for h in 0..<hc {
            let name = Array("dn-".utf8) + [48 + UInt8((h + 1) / 10), 48 + UInt8((h + 1) % 10)]
            for i in 0..<5 { hostNames[h * 5 + i] = name[i] }
            let a = hash2(seed, 0x1000 + UInt64(h)), b = hash2(seed, 0x2000 + UInt64(h))
            writeUUID(a, b, into: hostUUIDs + h * 36)
            for p in 0..<8 { hostPids[h * 8 + p] = 900 + hash2(seed ^ UInt64(h), UInt64(p)) % 60000 }
            let days = 3 + Int64(hash2(seed, 0x3000 + UInt64(h)) % 90)
            hostBoot[h] = baseEpochMicros - days * 86_400_000_000 - Int64(hash2(seed, 0x4000 + UInt64(h)) % 86_400_000_000)
        }
    }

    // MARK: - Blocks

    /// Simulated duration of block k (load varies from block to block).
    static func blockDuration(seed: UInt64, block: Int) -> Int64 {
        let u = Double(hash2(seed ^ 0xB10C, UInt64(block)) >> 11) * 0x1.0p-53
        let phase = sin(Double(block) * 0.07)        // slow "diurnal" swing
        let f = (0.55 + 0.9 * u) * (1.0 + 0.35 * phase)
        return Int64(Double(GenParams.eventsPerBlock) * GenParams.meanGapMicros * f)
    }

    static func firstStart(seed: UInt64) -> Int64 {
        baseEpochMicros + Int64(hash2(seed, 0x5EED) % 5_400_000_000)
    }

    /// Start of block k: the sum of the durations before it (each worker moves
    /// forward through its blocks, so this is incremental).
    private func blockStart(_ k: Int) -> Int64 {
        if k < memoBlock { memoBlock = 0; memoStart = Generator.firstStart(seed: seed) }
        while memoBlock < k {
            memoStart += Generator.blockDuration(seed: seed, block: memoBlock)
            memoBlock += 1
        }
        return memoStart
    }

    func generate(block k: Int, into buf: ByteBuf) {
        out = buf.p
        cap = buf.cap
        n = 0
        rng = Rng(seed: hash2(seed, UInt64(k) &+ 0x9E37))
        let E = GenParams.eventsPerBlock
        globalEvent = Int64(k) * Int64(E)

        // Poisson arrivals inside the block: normalized exponential gaps.
        let start = blockStart(k)
        let dur = Generator.blockDuration(seed: seed, block: k)
        var acc = 0.0
        for i in 0...E {
            acc += -log(1.0 - rng.unit())
            cum[i] = acc
        }
        let scale = Double(dur) / acc
        for i in 0..<E { times[i] = start + Int64(cum[i] * scale) }
        times[E] = start + dur

        // Fresh in-flight state for this block.
        for i in 0..<GenParams.ridRing { ridA[i] = rng.next(); traceA[i] = rng.next(); traceB[i] = rng.next() }
        for i in 0..<GenParams.blkRing { blkIds[i] = newBlockId() }
        for i in 0..<GenParams.taskRing { tidA[i] = rng.next(); tidB[i] = rng.next() }
        for i in 0..<GenParams.sessions { newSession(i) }
        sessSlot = -1
        lastTemplate = -1
        keepSession = false
        curSec = -1
        curHost = 0
        ridSlot = 0
        lastTenant = 0
        lastPick.update(repeating: 0, count: listSpecs.count)

        for i in 0..<E {
            ensure(1 << 20)
            setClock(times[i])
            event(next: times[i + 1])
            globalEvent += 1
        }
        buf.p = out
        buf.cap = cap
        buf.count = n
    }

    @inline(__always) func ensure(_ extra: Int) {
        if n + extra <= cap { return }
        let newCap = max(cap * 2, n + extra)
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: newCap)
        p.update(from: out, count: n)
        out.deallocate()
        out = p
        cap = newCap
    }

    // MARK: - Events

    private func event(next: Int64) {
        // 0.25% headerless stdout noise, 0.03% multi-KB payload dumps, else the
        // Zipf mixture (with bursts of the previous chatty template).
        let u = rng.unit()
        let ti: Int
        if u < 0.0025 {
            ti = Int(m.rawIndex[m.rawAlias.sample(&rng)])
        } else if u < 0.0028 {
            ti = Int(m.longIndex[m.longAlias.sample(&rng)])
        } else if u < stickiness && lastTemplate >= 0 {
            // Bursts: the same component logs again, often for the same client.
            ti = lastTemplate
            keepSession = rng.next() & 3 != 0
        } else {
            ti = Int(m.mainIndex[m.mainAlias.sample(&rng)])
        }
        lastTemplate = m.tBursty[ti] == 1 ? ti : -1
        let style = m.tStyle[ti]
        if !keepSession { sessSlot = -1 }
        taskSlot = -1
        taskList = 0
        blkSlot = -1
        keepSession = false
        let lineStart = n
        header(style)
        let msgStart = n
        render(m.tSpan[ti])
        put(10)
        let lineLen = n - lineStart
        let level = m.tLevel[ti]

        // Repeated lines: retry loops and tight error loops.
        let runP = level >= 2 ? 0.04 : 0.0015
        if lineLen < 2048 && rng.unit() < runP {
            let reps = Int(4.0 * exp(rng.unit() * 2.5)) // 4 ... 48 more copies
            ensure(reps * (lineLen + 32))
            if rng.unit() < 0.5 {
                for _ in 0..<reps {
                    (out + n).update(from: out + lineStart, count: lineLen)
                    n += lineLen
                }
            } else {
                let t0 = now, step = max(1, (next - now) / Int64(reps + 1))
                let msgLen = n - msgStart
                let msgCopy = msgStart
                for r in 1...reps {
                    setClock(t0 + step * Int64(r))
                    header(style)
                    (out + n).update(from: out + msgCopy, count: msgLen)
                    n += msgLen
                }
            }
            return
        }

        let tk = Int(m.tTrace[ti])
        if tk != 0 && rng.unit() < 0.9 {
            let j = m.traceAlias[tk].sample(&rng)
            render(m.traceSpans[tk][j])
            put(10)
        }
    }

    // MARK: - Clock and headers

    @inline(__always) func setClock(_ t: Int64) {
        now = t
        let s = t / 1_000_000
        if s != curSec { fillClock(s) }
    }

    private func fillClock(_ s: Int64) {
        curSec = s
        let days = s >= 0 ? s / 86_400 : (s - 86_399) / 86_400
        let secOfDay = Int(s - days * 86_400)
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        var y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = Int(doy - (153 * mp + 2) / 5 + 1)
        let mo = Int(mp < 10 ? mp + 3 : mp - 9)
        if mo <= 2 { y += 1 }
        let hh = secOfDay / 3600, mi = (secOfDay / 60) % 60, ss = secOfDay % 60
        let yy = Int(y)
        func two(_ p: UnsafeMutablePointer<UInt8>, _ v: Int) { p[0] = pairs[2 * v]; p[1] = pairs[2 * v + 1] }
        two(dtp, yy / 100); two(dtp + 2, yy % 100); dtp[4] = 45
        two(dtp + 5, mo); dtp[7] = 45; two(dtp + 8, d); dtp[10] = 32
        two(dtp + 11, hh); dtp[13] = 58; two(dtp + 14, mi); dtp[16] = 58; two(dtp + 17, ss)
        for i in 0..<3 { sysp[i] = monthNames[(mo - 1) * 3 + i] }
        sysp[3] = 32
        sysp[4] = d < 10 ? 32 : 48 + UInt8(d / 10)
        sysp[5] = 48 + UInt8(d % 10)
        sysp[6] = 32
        for i in 0..<8 { sysp[7 + i] = dtp[11 + i] }
    }

    @inline(__always) private func header(_ style: UInt8) {
        let ms = Int((now / 1000) % 1000)
        switch style {
        case 0: // ISO-8601 UTC
            (out + n).update(from: dtp, count: 19); out[n + 10] = 84
            out[n + 19] = 46; put3(ms, at: n + 20); out[n + 23] = 90
            n += 24
        case 1: // Python logging
            (out + n).update(from: dtp, count: 19)
            out[n + 19] = 44; put3(ms, at: n + 20)
            n += 23
        case 2: // syslog
            (out + n).update(from: sysp, count: 15)
            n += 15
        case 3: // log4j
            (out + n).update(from: dtp, count: 19)
            out[n + 19] = 46; put3(ms, at: n + 20)
            n += 23
        default:
            break
        }
    }

    // MARK: - Primitive writers

    @inline(__always) func put(_ b: UInt8) { out[n] = b; n += 1 }

    @inline(__always) func put3(_ v: Int, at i: Int) {
        out[i] = 48 + UInt8(v / 100)
        let r = v % 100
        out[i + 1] = pairs[2 * r]; out[i + 2] = pairs[2 * r + 1]
    }

    @inline(__always) func putBytes(_ p: UnsafePointer<UInt8>, _ len: Int) {
        (out + n).update(from: p, count: len)
        n += len
    }

    @inline(__always) func putStatic(_ s: StaticString) {
        putBytes(s.utf8Start, s.utf8CodeUnitCount)
    }

    func putU(_ v: UInt64) {
        var d = 1
        var t = v
        while t >= 100 { t /= 100; d += 2 }
        if t >= 10 { d += 1 }
        var i = n + d
        n = i
        var x = v
        while x >= 100 {
            let r = Int(x % 100); x /= 100
            i -= 2; out[i] = pairs[2 * r]; out[i + 1] = pairs[2 * r + 1]
        }
        if x >= 10 {
            let r = Int(x)
            i -= 2; out[i] = pairs[2 * r]; out[i + 1] = pairs[2 * r + 1]
        } else {
            out[i - 1] = 48 + UInt8(x)
        }
    }

    /// Exactly `w` digits, zero-padded.
    @inline(__always) func putPad(_ v: UInt64, _ w: Int) {
        var x = v
        var i = n + w
        n = i
        while i > n - w { i -= 1; out[i] = 48 + UInt8(x % 10); x /= 10 }
    }

    @inline(__always) func putFixed(_ v: Double, _ decimals: Int) {
        let v = v < 0 ? 0 : v
        switch decimals {
        case 0: putU(UInt64(v + 0.5))
        case 1: let iv = UInt64(v * 10 + 0.5); putU(iv / 10); put(46); put(48 + UInt8(iv % 10))
        case 2: let iv = UInt64(v * 100 + 0.5); putU(iv / 100); put(46); putPad(iv % 100, 2)
        case 3: let iv = UInt64(v * 1000 + 0.5); putU(iv / 1000); put(46); putPad(iv % 1000, 3)
        case 4: let iv = UInt64(v * 10000 + 0.5); putU(iv / 10000); put(46); putPad(iv % 10000, 4)
        default:
            var p: UInt64 = 1
            for _ in 0..<decimals { p *= 10 }
            let iv = UInt64(v * Double(p) + 0.5); putU(iv / p); put(46); putPad(iv % p, decimals)
        }
    }

    @inline(__always) func putHex(_ v: UInt64, _ digits: Int) {
        var x = v
        var i = n + digits
        n = i
        while i > n - digits { i -= 1; out[i] = hexd[Int(x & 15)]; x >>= 4 }
    }

    func writeUUID(_ a: UInt64, _ b: UInt64, into p: UnsafeMutablePointer<UInt8>) {
        let hx = Array("0123456789abcdef".utf8)
        let a = (a & ~UInt64(0xF000)) | 0x4000                  // version 4
        let b = (b & ~(UInt64(0xC) << 60)) | (UInt64(0x8) << 60)  // variant 10
        var j = 0
        for i in 0..<16 {
            if i == 8 || i == 12 { p[j] = 45; j += 1 }
            p[j] = hx[Int((a >> UInt64(60 - 4 * i)) & 15)]; j += 1
        }
        for i in 0..<16 {
            if i == 0 || i == 4 { p[j] = 45; j += 1 }
            p[j] = hx[Int((b >> UInt64(60 - 4 * i)) & 15)]; j += 1
        }
    }

    @inline(__always) func putUUID(_ a: UInt64, _ b: UInt64) {
        let a = (a & ~UInt64(0xF000)) | 0x4000
        let b = (b & ~(UInt64(0xC) << 60)) | (UInt64(0x8) << 60)
        putHex(a >> 32, 8); put(45); putHex((a >> 16) & 0xFFFF, 4); put(45); putHex(a & 0xFFFF, 4)
        put(45); putHex(b >> 48, 4); put(45); putHex(b & 0xFFFF_FFFF_FFFF, 12)
    }

    @inline(__always) func putAlnum(_ count: Int) {
        var left = count
        while left > 0 {
            var r = rng.next()
            let k = min(left, 10)
            for _ in 0..<k { out[n] = b62[Int(r % 62)]; n += 1; r /= 62 }
            left -= k
        }
    }

    @inline(__always) func logNormal(_ median: Double, _ sigma: Double) -> Double {
        median * exp(sigma * rng.gauss())
    }

    /// Zipf-like index in 0..<count: density ~ x^(1/k - 1).
    @inline(__always) func skewed(_ count: Int, _ k: Double) -> UInt64 {
        let u = rng.unit()
        let w = k == 3 ? u * u * u : pow(u, k)
        return UInt64(Double(count) * w)
    }

    private func newSession(_ i: Int) {
        sessUser[i] = skewed(400_000, 2.4)
        sessCip[i] = skewed(400_000, 2.6)
        sessPort[i] = 32768 + rng.below(28232)
        sessSeed[i] = rng.next()
    }

    /// The running task of the current event (drawn on first use); a task
    /// appears a few times (received, retried, succeeded) before it is replaced.
    @inline(__always) private func task() -> Int {
        if taskSlot < 0 {
            taskSlot = Int(rng.below(UInt64(GenParams.taskRing)))
            if rng.below(3) == 0 { tidA[taskSlot] = rng.next(); tidB[taskSlot] = rng.next() }
        }
        return taskSlot
    }

    /// The client session of the current event (drawn on first use).
    @inline(__always) private func session() -> Int {
        if sessSlot < 0 {
            sessSlot = Int(rng.below(UInt64(GenParams.sessions)))
            if rng.below(24) == 0 { newSession(sessSlot) }
        }
        return sessSlot
    }

    private func newBlockId() -> UInt64 {
        1_073_741_825 + UInt64(globalEvent / 16) + rng.below(4000)
    }

    // MARK: - Template rendering

    func render(_ s: Span) {
        var i = Int(s.start)
        let end = i + Int(s.count)
        while i < end {
            let op = ops[i]
            i += 1
            if op.k == K.lit {
                putBytes(lit + Int(op.a), Int(op.b))
            } else {
                field(op)
            }
        }
    }

    @inline(__always) private func renderList(_ l: Int) {
        let idx = m.listAlias[l].sample(&rng)
        lastPick[l] = idx
        render(m.listItems[m.listFirst[l] + idx])
    }

    private func field(_ op: Op) {
        switch op.k {
        case K.int:
            let lo = Int(op.x), hi = Int(op.y)
            putU(UInt64(rng.range(lo, hi)))
        case K.lint:
            putU(UInt64(op.x * exp(op.y * rng.unit())))
        case K.seq:
            let div = max(1, Int64(op.y))
            putU(UInt64(Int64(op.x) + globalEvent / div) + rng.below(UInt64(div)))
        case K.ms, K.us:
            putU(UInt64(logNormal(op.x, op.y) + 0.5))
        case K.fms:
            putFixed(logNormal(op.x, op.y), 3)
        case K.secs:
            putFixed(logNormal(op.x, op.y), 4)
        case K.dur:
            putDuration(logNormal(op.x, op.y))
        case K.bytes:
            putU(UInt64(logNormal(op.x, op.y)))
        case K.hsize:
            putHumanSize(logNormal(op.x, op.y))
        case K.money:
            putFixed(logNormal(op.x, op.y), 2)
        case K.float:
            putFixed(op.x + (op.y - op.x) * rng.unit(), Int(op.a))
        case K.ip:
            putInternalIP(skewed(800, 2.2))
        case K.cip:
            putClientIP(sessCip[session()])
        case K.cport:
            putU(sessPort[session()])
        case K.port:
            // Ephemeral ports: connection pools keep reusing a few.
            putU(32768 + hash2(seed ^ 0x9091, skewed(8000, 1.6)) % 28232)
        case K.zint:
            let span = UInt64(op.y - op.x + 1)
            putU(UInt64(op.x) + hash2(seed ^ 0x2121, skewed(Int(span), 2.0)) % span)
        case K.uuid:
            putUUID(rng.next(), rng.next())
        case K.hex:
            var left = Int(op.a)
            while left > 0 {
                let k = min(left, 16)
                putHex(rng.next(), k)
                left -= k
            }
        case K.rid:
            ridSlot = Int(rng.below(UInt64(GenParams.ridRing)))
            if rng.below(10) == 0 {
                ridA[ridSlot] = rng.next(); traceA[ridSlot] = rng.next(); traceB[ridSlot] = rng.next()
            }
            putHex(ridA[ridSlot], 16)
        case K.trace:
            putHex(traceA[ridSlot], 16); putHex(traceB[ridSlot], 16)
        case K.user:
            let idx = sessUser[session()]
            putU(1 + hash2(seed ^ 0x05E5, idx) % 4_200_000)
        case K.cust:
            let idx = sessUser[session()]
            putStatic("cus_")
            var h = hash2(seed ^ 0xC057, idx)
            for j in 0..<14 {
                if j == 10 { h = hash2(seed ^ 0xC058, idx) }
                put(b62[Int(h % 62)]); h /= 62
            }
        case K.tenant:
            if op.a == 0 { lastTenant = skewed(5000, 2.2) }
            putTenant(lastTenant)
        case K.slist:
            let l = Int(op.a)
            var r = Rng(seed: sessSeed[session()] ^ UInt64(l))
            render(m.listItems[m.listFirst[l] + m.listAlias[l].sample(&r)])
        case K.rep:
            let l = Int(op.a)
            render(m.listItems[m.listFirst[l] + lastPick[l]])
        case K.email:
            putEmail(sessUser[session()])
        case K.phex:
            let idx = skewed(Int(op.x), 2.0)
            var left = Int(op.a)
            var j: UInt64 = 0
            while left > 0 {
                let k = min(left, 16)
                putHex(hash2(seed ^ (0xF00D &+ UInt64(op.a) &* 131 &+ j), idx), k)
                left -= k; j += 1
            }
        case K.palnum:
            let idx = skewed(Int(op.x), 2.0)
            var left = Int(op.a)
            var j: UInt64 = 0
            while left > 0 {
                var h = hash2(seed ^ (0xA1A1 &+ UInt64(op.a) &* 131 &+ j), idx)
                let k = min(left, 10)
                for _ in 0..<k { put(b62[Int(h % 62)]); h /= 62 }
                left -= k; j += 1
            }
        case K.puuid:
            let idx = skewed(Int(op.x), 2.0)
            putUUID(hash2(seed ^ 0x0D1D, idx), hash2(seed ^ 0x0D1E, idx))
        case K.tid:
            let s = task()
            let salt = mix64(UInt64(taskList))
            putUUID(tidA[s] ^ salt, tidB[s] ^ salt)
        case K.tlist:
            let l = Int(op.a)
            taskList = l
            var r = Rng(seed: tidB[task()] ^ UInt64(l))
            render(m.listItems[m.listFirst[l] + m.listAlias[l].sample(&r)])
        case K.list:
            renderList(Int(op.a))
        case K.bool:
            if rng.next() & 1 == 0 { putStatic("true") } else { putStatic("false") }
        case K.alnum:
            putAlnum(Int(op.a))
        case K.blk, K.blkid:
            if blkSlot < 0 {   // one block per event
                blkSlot = Int(rng.below(UInt64(GenParams.blkRing)))
                if rng.below(12) == 0 { blkIds[blkSlot] = newBlockId() }
            }
            let id = blkIds[blkSlot]
            putStatic("blk_"); putU(id)
            if op.k == K.blk { put(95); putU(1001 + (id - 1_073_741_825) + (mix64(id) & 63)) }
        case K.uptime:
            let up = max(0, now - hostBoot[curHost])
            let secs = UInt64(up / 1_000_000)
            var digits = 1
            var t = secs
            while t >= 10 { t /= 10; digits += 1 }
            while digits < 5 { put(32); digits += 1 }
            putU(secs); put(46); putPad(UInt64(up % 1_000_000), 6)
        case K.epoch:
            putU(UInt64(now / 1_000_000))
        case K.date:
            putBytes(dtp, 10)
        case K.month:
            putBytes(dtp, 7)
        case K.pid:
            putU(1000 + rng.below(400_000))
        case K.shost:
            curHost = hostAlias.sample(&rng)
            putBytes(hostNames + curHost * 5, 5)
        case K.host:
            putBytes(hostNames + curHost * 5, 5)
        case K.spid:
            putU(hostPids[curHost * 8 + Int(op.a)])
        case K.hostuuid:
            putBytes(hostUUIDs + curHost * 36, 36)
        case K.isons:
            putBytes(dtp, 19); out[n - 9] = 84; put(46)
            putPad(UInt64((now / 1000) % 1000), 3); putPad(rng.below(1_000_000), 6); put(90)
        case K.json:
            putJSON()
        case K.hostip:
            putStatic("10.0.2."); putU(UInt64(curHost + 21))
        case K.peerip:
            var p = Int(rng.below(UInt64(GenParams.storageHosts - 1)))
            if p >= curHost { p += 1 }
            putStatic("10.0.2."); putU(UInt64(p + 21))
        case K.pnum:
            let idx = skewed(Int(op.x), 2.0)
            putU(100_000_000 + hash2(seed ^ 0x9A9A, idx) % 1_900_000_000)
        case K.uaddr:
            let up = UInt64(lastPick[m.lUpstream])
            putInternalIP(1_000_000 + up * 16 + rng.below(3)); put(58)
            putU(upstreamPorts[Int(mix64(up ^ seed) & 7)])
        default:
            break
        }
    }

    // MARK: - Composite values

    private func putDuration(_ ms: Double) {
        if ms < 1 {
            putU(UInt64(ms * 1000 + 0.5)); putStatic("us")
        } else if ms < 1000 {
            putFixed(ms, 3); putStatic("ms")
        } else if ms < 60_000 {
            putFixed(ms / 1000, 3); put(115)
        } else {
            let s = ms / 1000
            let mins = UInt64(s / 60)
            putU(mins); put(109); putFixed(s - Double(mins) * 60, 1); put(115)
        }
    }

    private func putHumanSize(_ b: Double) {
        if b < 1024 { putU(UInt64(b)); putStatic(" B") }
        else if b < 1_048_576 { putFixed(b / 1024, 1); putStatic(" KB") }
        else if b < 1_073_741_824 { putFixed(b / 1_048_576, 1); putStatic(" MB") }
        else { putFixed(b / 1_073_741_824, 2); putStatic(" GB") }
    }

    private func putInternalIP(_ idx: UInt64) {
        let h = hash2(seed ^ 0x1F, idx)
        putStatic("10."); putU(h & 3); put(46); putU((h >> 8) % 48); put(46); putU(2 + (h >> 16) % 252)
    }

    private func putClientIP(_ idx: UInt64) {
        let h = hash2(seed ^ 0xC1, idx)
        putU(publicFirstOctets[Int(h % UInt64(publicFirstOctets.count))]); put(46)
        putU((h >> 16) & 255); put(46); putU((h >> 24) & 255); put(46); putU(1 + (h >> 32) % 254)
    }

    private func putListItem(_ l: Int, _ i: Int) {
        render(m.listItems[m.listFirst[l] + i])
    }

    private func listCount(_ l: Int) -> Int { m.listAlias[l].n }

    private func putTenant(_ idx: UInt64) {
        let h = hash2(seed ^ 0x7E4, idx)
        putListItem(m.lAdj, Int(h % UInt64(listCount(m.lAdj)))); put(45)
        putListItem(m.lNoun, Int((h >> 16) % UInt64(listCount(m.lNoun))))
        if idx >= 300 { put(45); putU((h >> 32) % 1000) }
    }

    private func putEmail(_ idx: UInt64) {
        let h = hash2(seed ^ 0xE3A, idx)
        putListItem(m.lFirst, Int(h % UInt64(listCount(m.lFirst)))); put(46)
        putListItem(m.lLast, Int((h >> 12) % UInt64(listCount(m.lLast))))
        if (h >> 24) % 3 != 0 { putU((h >> 28) % 100) }
        put(64)
        var r = Rng(seed: h)
        putListItem(m.lDomain, m.listAlias[m.lDomain].sample(&r))
    }

    private func putJSON() {
        renderList(m.lJsonHead)
        let items = 12 + Int(rng.below(48))
        for j in 0..<items {
            if j > 0 { put(44) }
            renderList(m.lJsonItem)
        }
        renderList(m.lJsonTail)
    }
}
