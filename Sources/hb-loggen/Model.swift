import Glibc

// The compiled, immutable model shared (read-only) by all generator threads:
// literal pool, ops, lists, templates, traces and the sampling tables.

/// Copies an array into memory that lives for the whole process.
func frozen<T>(_ a: [T]) -> UnsafeMutablePointer<T> {
    let p = UnsafeMutablePointer<T>.allocate(capacity: max(1, a.count))
    if !a.isEmpty { p.initialize(from: a, count: a.count) }
    return p
}

final class Model: @unchecked Sendable {
    let lit: UnsafeMutablePointer<UInt8>
    let ops: UnsafeMutablePointer<Op>

    // Lists: items of list i are listItems[listFirst[i] ..< listFirst[i] + count].
    let listItems: UnsafeMutablePointer<Span>
    let listFirst: UnsafeMutablePointer<Int>
    let listAlias: UnsafeMutablePointer<AliasTable>

    // Templates.
    let templateCount: Int
    let mainCount: Int
    let tSpan: UnsafeMutablePointer<Span>
    let tStyle: UnsafeMutablePointer<UInt8>
    let tLevel: UnsafeMutablePointer<UInt8>
    let tTrace: UnsafeMutablePointer<UInt8>
    /// 1 for the chatty templates that log in bursts.
    let tBursty: UnsafeMutablePointer<UInt8>
    let mainAlias: AliasTable
    let mainIndex: UnsafeMutablePointer<Int32>
    let rawAlias: AliasTable
    let rawIndex: UnsafeMutablePointer<Int32>
    let longAlias: AliasTable
    let longIndex: UnsafeMutablePointer<Int32>

    // Stack traces, by TraceKind raw value.
    let traceSpans: [UnsafeMutablePointer<Span>]
    let traceAlias: [AliasTable]
    let traceCount: Int

    // Lists the renderers use directly.
    let lAdj: Int, lNoun: Int, lFirst: Int, lLast: Int, lDomain: Int
    let lJsonHead: Int, lJsonItem: Int, lJsonTail: Int
    let lUpstream: Int

    /// Per-(service, level) expected share, for --stats.
    let levelShare: [Double]

    init() {
        let names = listSpecs.map(\.name)
        let c = Compiler(listNames: names)

        // Lists.
        var items: [Span] = []
        var first: [Int] = []
        var aliases: [AliasTable] = []
        for spec in listSpecs {
            first.append(items.count)
            var weights: [Double] = []
            for (i, raw) in spec.items.enumerated() {
                var text = raw
                switch spec.mode {
                case .z: weights.append(1.0 / Double(i + 1))
                case .u: weights.append(1.0)
                case .w:
                    guard let bar = raw.firstIndex(of: "|"), let w = Double(raw[..<bar]) else {
                        fatalError("list \(spec.name): item without weight: \(raw)")
                    }
                    weights.append(w)
                    text = String(raw[raw.index(after: bar)...])
                }
                items.append(c.compile(text))
            }
            aliases.append(AliasTable(weights: weights))
        }

        // Templates.
        let specs = templateSpecs
        var spans: [Span] = [], styles: [UInt8] = [], levels: [UInt8] = [], traces: [UInt8] = []
        for t in specs {
            spans.append(c.compile(t.text))
            styles.append(UInt8(t.style.rawValue))
            levels.append(UInt8(t.level.rawValue))
            traces.append(UInt8(t.trace.rawValue))
        }

        // Main mixture: service share x level share x Zipf(rank within bucket).
        let svcShare = [0.34, 0.30, 0.16, 0.20]
        let debugShare = [0.30, 0.45, 0.25, 0.08]
        let fixed = [Lv.warn: 0.02, Lv.error: 0.005, Lv.fatal: 0.0001]
        func lvlShare(_ s: Int, _ l: Lv) -> Double {
            switch l {
            case .debug: return debugShare[s]
            case .info: return 1.0 - debugShare[s] - 0.02 - 0.005 - 0.0001
            default: return fixed[l]!
            }
        }
        var mainIdx: [Int32] = [], mainW: [Double] = []
        var rawIdx: [Int32] = [], rawW: [Double] = []
        var longIdx: [Int32] = [], longW: [Double] = []
        var bucketSize: [Int: Int] = [:]
        for t in specs where t.group == 0 { bucketSize[t.svc * 8 + t.level.rawValue, default: 0] += 1 }
        let zipfS = 1.5
        var rank: [Int: Int] = [:]
        var share = [Double](repeating: 0, count: 5)
        for (i, t) in specs.enumerated() {
            switch t.group {
            case 0:
                let key = t.svc * 8 + t.level.rawValue
                let r = rank[key, default: 0]
                rank[key] = r + 1
                let n = bucketSize[key]!
                var h = 0.0
                for j in 1...n { h += 1.0 / pow(Double(j), zipfS) }
                let w = svcShare[t.svc] * lvlShare(t.svc, t.level) / pow(Double(r + 1), zipfS) / h
                mainIdx.append(Int32(i)); mainW.append(w)
                share[t.level.rawValue] += w
            case 1:
                rawIdx.append(Int32(i)); rawW.append(1.0 / Double(rawIdx.count))
            default:
                longIdx.append(Int32(i)); longW.append(1.0)
            }
        }
        for s in 0..<4 {
            for l in [Lv.debug, .info, .warn, .error, .fatal] where bucketSize[s * 8 + l.rawValue] == nil {
                fatalError("service \(s) has no \(l) template")
            }
        }

        // Traces.
        var tb = TraceBuilder()
        let traceTexts: [[String]] = [
            [],
            tb.java(count: 40),
            tb.javaHdfs(count: 10),
            tb.python(count: 24),
            tb.go(count: 16),
        ]
        var tSpans: [UnsafeMutablePointer<Span>] = []
        var tAliases: [AliasTable] = []
        var tCount = 0
        for texts in traceTexts {
            let sp = texts.map { c.compile($0) }
            tCount += sp.count
            tSpans.append(frozen(sp))
            tAliases.append(AliasTable(weights: sp.isEmpty ? [1] : (0..<sp.count).map { 1.0 / pow(Double($0 + 1), 0.9) }))
        }

        lit = frozen(c.lit)
        ops = frozen(c.ops)
        listItems = frozen(items)
        listFirst = frozen(first)
        listAlias = frozen(aliases)
        templateCount = specs.count
        mainCount = mainIdx.count
        tSpan = frozen(spans)
        tStyle = frozen(styles)
        tLevel = frozen(levels)
        tTrace = frozen(traces)
        var bursty = [UInt8](repeating: 0, count: specs.count)
        let totalW = mainW.reduce(0, +)
        for (j, i) in mainIdx.enumerated() where mainW[j] / totalW >= 0.004 { bursty[Int(i)] = 1 }
        tBursty = frozen(bursty)
        mainAlias = AliasTable(weights: mainW)
        mainIndex = frozen(mainIdx)
        rawAlias = AliasTable(weights: rawW)
        rawIndex = frozen(rawIdx)
        longAlias = AliasTable(weights: longW)
        longIndex = frozen(longIdx)
        traceSpans = tSpans
        traceAlias = tAliases
        traceCount = tCount
        levelShare = share
        func idx(_ n: String) -> Int { c.listIndex[n]! }
        lAdj = idx("adj"); lNoun = idx("noun"); lFirst = idx("first"); lLast = idx("last")
        lDomain = idx("domain")
        lUpstream = idx("upstream")
        lJsonHead = idx("json_head"); lJsonItem = idx("json_item"); lJsonTail = idx("json_tail")
    }
}
