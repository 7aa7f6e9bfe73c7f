/// Number formatting for human-readable output ("1,204", "3.2 MB"); used only when printing.
public enum Format {
    /// An integer with thousands separators: 1204 -> "1,204".
    public static func count<T: BinaryInteger>(_ value: T) -> String {
        let digits = String(value.magnitude)
        var out = ""
        out.reserveCapacity(digits.count + digits.count / 3 + 1)
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return value < 0 ? "-" + out : out
    }

    /// A byte size in decimal units: 1_500_000 -> "1.5 MB".
    public static func bytes<T: BinaryInteger>(_ value: T) -> String {
        let v = Double(value)
        let units = ["B", "KB", "MB", "GB", "TB"]
        var scaled = v
        var unit = 0
        while scaled >= 1000 && unit < units.count - 1 {
            scaled /= 1000
            unit += 1
        }
        if unit == 0 { return "\(Int(v)) B" }
        return fixed(scaled, digits: scaled < 10 ? 1 : 0) + " " + units[unit]
    }

    /// A double with a fixed number of decimals, without Foundation.
    public static func fixed(_ value: Double, digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        var text = String(rounded)
        if let dot = text.firstIndex(of: ".") {
            let decimals = text.distance(from: text.index(after: dot), to: text.endIndex)
            if digits == 0 {
                text = String(text[..<dot])
            } else if decimals < digits {
                text += String(repeating: "0", count: digits - decimals)
            }
        } else if digits > 0 {
            text += "." + String(repeating: "0", count: digits)
        }
        return text
    }
}
