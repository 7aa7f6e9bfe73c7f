// Template compiler: turns "text {field:args} more text" into a flat list of ops
// over a shared literal byte pool. Done once at start-up; the generator only
// walks ops and appends bytes.
//
// Syntax: `{kind}` or `{kind:arg:arg}`; `{{` is a literal `{`; a `}` outside a
// field is literal. `{L:name}` draws an item of the named list (items are
// templates themselves, so lists can nest fields).

/// Field kinds (Op.k).
enum K {
    static let lit: UInt8 = 0
    static let int: UInt8 = 1       // int:lo:hi      uniform integer
    static let lint: UInt8 = 2      // lint:lo:hi     log-uniform integer (heavy tail)
    static let seq: UInt8 = 3       // seq:base:div   grows with the event number
    static let ms: UInt8 = 4        // ms:median      log-normal integer milliseconds
    static let us: UInt8 = 5        // us:median      log-normal integer microseconds
    static let fms: UInt8 = 6       // fms:median     milliseconds with 3 decimals
    static let secs: UInt8 = 7      // secs:median    seconds with 4 decimals
    static let dur: UInt8 = 8       // dur:medianMs   Go-style 850us / 12.345ms / 1.52s / 2m3.4s
    static let bytes: UInt8 = 9     // bytes:median   log-normal integer
    static let hsize: UInt8 = 10    // hsize:median   "1.2 MB"
    static let ip: UInt8 = 11       // internal 10.x.y.z (Zipf over a pool)
    static let cip: UInt8 = 12      // client/public address (Zipf over a large pool)
    static let port: UInt8 = 13     // ephemeral port
    static let uuid: UInt8 = 14     // fresh v4 UUID
    static let hex: UInt8 = 15      // hex:n          n random hex digits
    static let rid: UInt8 = 16      // request id from a ring of in-flight requests
    static let trace: UInt8 = 17    // trace id paired with the last request id
    static let user: UInt8 = 18     // numeric user id (Zipf)
    static let cust: UInt8 = 19     // cus_XXXXXXXXXXXXXX (Zipf)
    static let tenant: UInt8 = 20   // adjective-noun slug (Zipf); tenant:1 repeats the last one
    static let email: UInt8 = 21    // first.last@domain (Zipf)
    static let list: UInt8 = 22     // L:name
    static let bool: UInt8 = 23
    static let money: UInt8 = 24    // money:median   1234.56
    static let alnum: UInt8 = 25    // alnum:n
    static let blk: UInt8 = 26      // blk_1073812345_72521 from a ring of active blocks
    static let blkid: UInt8 = 27    // blk_1073812345 (same ring)
    static let uptime: UInt8 = 28   // kernel "[ 81234.123456]" body for the current host
    static let epoch: UInt8 = 29    // unix seconds of the current event
    static let date: UInt8 = 30     // YYYY-MM-DD of the current event
    static let pid: UInt8 = 31      // random pid
    static let float: UInt8 = 32    // float:lo:hi:decimals
    static let shost: UInt8 = 33    // pick a storage host (sets the current host)
    static let spid: UInt8 = 34     // spid:proc      stable pid of a daemon on the current host
    static let host: UInt8 = 35     // current host name
    static let json: UInt8 = 36     // a multi-KB JSON document
    static let hostuuid: UInt8 = 38 // stable UUID of the current host
    static let isons: UInt8 = 39    // 2026-03-14T09:26:53.123456789Z of the current event
    static let month: UInt8 = 40    // YYYY-MM of the current event
    static let rep: UInt8 = 41      // R:name         the item last drawn from list `name`
    static let phex: UInt8 = 42     // phex:n:pool    n hex digits, one of `pool` stable values (Zipf)
    static let palnum: UInt8 = 43   // palnum:n:pool  same, base62
    static let puuid: UInt8 = 44    // puuid:pool     same, UUID
    static let tid: UInt8 = 45      // task/run id from a ring of running tasks (UUID)
    static let cport: UInt8 = 46    // client port of the current session (pairs with cip)
    static let uaddr: UInt8 = 47    // ip:port of a replica of the last drawn {L:upstream}
    static let hostip: UInt8 = 48   // address of the current storage host
    static let peerip: UInt8 = 49   // address of another storage host
    static let pnum: UInt8 = 50     // pnum:pool      one of `pool` stable 9-10 digit numbers (Zipf)
    static let zint: UInt8 = 51     // zint:lo:hi     id-like integer with Zipf popularity
    static let slist: UInt8 = 52    // S:name         list item fixed for the current client session
    static let tlist: UInt8 = 53    // T:name         list item fixed for a running task; {tid} then names that task

    static let byName: [String: UInt8] = [
        "int": int, "lint": lint, "seq": seq, "ms": ms, "us": us, "fms": fms, "secs": secs,
        "dur": dur, "bytes": bytes, "hsize": hsize, "ip": ip, "cip": cip, "port": port,
        "uuid": uuid, "hex": hex, "rid": rid, "trace": trace, "user": user, "cust": cust,
        "tenant": tenant, "email": email, "L": list, "bool": bool, "money": money,
        "alnum": alnum, "blk": blk, "blkid": blkid, "uptime": uptime, "epoch": epoch,
        "date": date, "pid": pid, "float": float, "shost": shost, "spid": spid, "host": host,
        "json": json, "hostuuid": hostuuid, "isons": isons, "month": month, "R": rep,
        "phex": phex, "palnum": palnum, "puuid": puuid, "tid": tid, "cport": cport, "uaddr": uaddr, "hostip": hostip, "peerip": peerip, "pnum": pnum, "zint": zint, "S": slist, "T": tlist,
    ]
}

struct Op {
    var k: UInt8
    var a: Int32 = 0
    var b: Int32 = 0
    var x: Double = 0
    var y: Double = 0
}

/// A compiled template: a range of ops.
struct Span {
    var start: Int32
    var count: Int32
}

struct ListDef {
    var name: String
    var items: [String]
    var weights: [Double]
}

final class Compiler {
    var lit: [UInt8] = []
    var ops: [Op] = []
    var listIndex: [String: Int] = [:]

    init(listNames: [String]) {
        for (i, n) in listNames.enumerated() {
            precondition(listIndex[n] == nil, "duplicate list \(n)")
            listIndex[n] = i
        }
    }

    func compile(_ text: String) -> Span {
        let b = Array(text.utf8)
        let start = ops.count
        var pending = lit.count
        func flush() {
            if lit.count > pending {
                ops.append(Op(k: K.lit, a: Int32(pending), b: Int32(lit.count - pending)))
            }
            pending = lit.count
        }
        var i = 0
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "{") {
                if i + 1 < b.count && b[i + 1] == UInt8(ascii: "{") {
                    lit.append(c)
                    i += 2
                    continue
                }
                var j = i + 1
                while j < b.count && b[j] != UInt8(ascii: "}") { j += 1 }
                precondition(j < b.count, "unterminated field in template: \(text)")
                let spec = String(decoding: b[(i + 1)..<j], as: UTF8.self)
                flush()
                ops.append(field(spec, in: text))
                pending = lit.count
                i = j + 1
            } else {
                lit.append(c)
                i += 1
            }
        }
        flush()
        return Span(start: Int32(start), count: Int32(ops.count - start))
    }

    private func field(_ spec: String, in text: String) -> Op {
        let parts = spec.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard let k = K.byName[parts[0]] else { fatalError("unknown field {\(spec)} in: \(text)") }
        var op = Op(k: k)
        if k == K.list || k == K.rep || k == K.slist || k == K.tlist {
            guard parts.count == 2, let idx = listIndex[parts[1]] else {
                fatalError("unknown list {\(spec)} in: \(text)")
            }
            op.a = Int32(idx)
            return op
        }
        let args = parts.dropFirst().map { s -> Double in
            guard let v = Double(s) else { fatalError("bad argument {\(spec)} in: \(text)") }
            return v
        }
        func arg(_ i: Int, _ def: Double) -> Double { i < args.count ? args[i] : def }
        switch k {
        case K.int, K.seq, K.zint:
            op.x = arg(0, 0); op.y = arg(1, 100)
        case K.lint:
            let lo = max(1, arg(0, 1)), hi = max(lo, arg(1, 1000))
            op.x = lo; op.y = (hi + 1 - lo) > 1 ? _log((hi + 0.999) / lo) : 0
        case K.ms, K.us, K.fms, K.secs, K.dur:
            op.x = arg(0, 10); op.y = arg(1, 0.9)
        case K.bytes, K.hsize:
            op.x = arg(0, 4096); op.y = arg(1, 1.2)
        case K.money:
            op.x = arg(0, 50); op.y = arg(1, 1.0)
        case K.float:
            op.x = arg(0, 0); op.y = arg(1, 1); op.a = Int32(arg(2, 2))
        case K.hex, K.alnum:
            op.a = Int32(arg(0, 8))
        case K.phex, K.palnum:
            op.a = Int32(arg(0, 8)); op.x = arg(1, 1000)
        case K.puuid, K.pnum:
            op.x = arg(0, 1000)
        case K.spid, K.tenant:
            op.a = Int32(arg(0, 0))
        default:
            precondition(args.isEmpty, "field {\(spec)} takes no arguments in: \(text)")
        }
        return op
    }
}

/// Natural log without Foundation.
@inline(__always) func _log(_ x: Double) -> Double { Glibc.log(x) }

import Glibc
