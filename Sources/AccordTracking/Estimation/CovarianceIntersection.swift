import Foundation

/// Track-to-track fusion by covariance intersection (Julier & Uhlmann 1997): consistent whatever the unknown
/// correlation between the tracks, at the price of some conservatism.
/// P⁻¹ = ω A⁻¹ + (1 − ω) B⁻¹, x = P (ω A⁻¹ a + (1 − ω) B⁻¹ b), with ω minimising det P.
public enum CovarianceIntersection {
    /// Fuses two estimates at the same epoch; nil if either covariance is not positive definite.
    public static func fuse(_ a: BallisticEstimate, _ b: BallisticEstimate) -> BallisticEstimate? {
        precondition(a.epoch == b.epoch, "fuse estimates at one epoch")
        guard let ia = a.covariance.inverseSPD(), let ib = b.covariance.inverseSPD() else { return nil }
        func info(_ w: Double) -> Matrix { w * ia + (1 - w) * ib }
        func score(_ w: Double) -> Double { info(w).logDeterminantSPD() ?? -.infinity }
        // log det of the fused information is concave in ω: golden-section search, then the end points.
        var w = GoldenSection.maximum(0, 1, tolerance: 1e-8, score).x
        if score(0) > score(w) { w = 0 }
        if score(1) > score(w) { w = 1 }
        let fusedInfo = info(w)
        let ya = (w * ia) * a.state.components, yb = ((1 - w) * ib) * b.state.components
        let rhs = zip(ya, yb).map { $0 + $1 }
        guard let p = fusedInfo.inverseSPD() else { return nil }
        return BallisticEstimate(epoch: a.epoch, state: StateVector(components: p * rhs), covariance: p)
    }

    /// Fuses several estimates (same epoch) one after another.
    public static func fuse(_ estimates: [BallisticEstimate]) -> BallisticEstimate? {
        guard var acc = estimates.first else { return nil }
        for e in estimates.dropFirst() {
            guard let f = fuse(acc, e) else { return nil }
            acc = f
        }
        return acc
    }
}
