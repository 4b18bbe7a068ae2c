/// Golden-section search for the maximum of a unimodal function on an interval.
enum GoldenSection {
    /// The maximiser and the maximum of `f` on [a, b], to within `tolerance` in x.
    static func maximum(_ a0: Double, _ b0: Double, tolerance: Double, _ f: (Double) -> Double) -> (x: Double, value: Double) {
        var a = a0, b = b0
        let g = (5.0.squareRoot() - 1) / 2
        var c = b - g * (b - a), d = a + g * (b - a)
        var fc = f(c), fd = f(d)
        while b - a > tolerance {
            if fc > fd {
                b = d; d = c; fd = fc
                c = b - g * (b - a); fc = f(c)
            } else {
                a = c; c = d; fc = fd
                d = a + g * (b - a); fd = f(d)
            }
        }
        let x = 0.5 * (a + b)
        return (x, f(x))
    }
}
