import Foundation

/// Free-flight (ballistic) propagation in the inertial frame with fixed-step classical Runge–Kutta (RK4),
/// optionally carrying the 6×6 state-transition matrix Φ(t, t₀).
///
/// The step is bounded by `maxStep`; the tests measure the error against the closed-form Kepler solution
/// (docs/tracking.md gives the numbers).
public struct BallisticPropagator: Sendable {
    public var gravity: Gravity
    public var maxStep: Double

    public init(gravity: Gravity = .wgs84, maxStep: Double = 10) {
        self.gravity = gravity
        self.maxStep = maxStep
    }

    /// The state after `dt` seconds (negative for backwards).
    public func propagate(_ s: StateVector, by dt: Double) -> StateVector {
        guard dt != 0 else { return s }
        let n = max(1, Int((abs(dt) / maxStep).rounded(.up)))
        let h = dt / Double(n)
        var x = s
        for _ in 0..<n { x = rk4(x, h) }
        return x
    }

    @inlinable func rk4(_ s: StateVector, _ h: Double) -> StateVector {
        let a1 = gravity.acceleration(s.position)
        let r2 = s.position + (0.5 * h) * s.velocity, v2 = s.velocity + (0.5 * h) * a1
        let a2 = gravity.acceleration(r2)
        let r3 = s.position + (0.5 * h) * v2, v3 = s.velocity + (0.5 * h) * a2
        let a3 = gravity.acceleration(r3)
        let r4 = s.position + h * v3, v4 = s.velocity + h * a3
        let a4 = gravity.acceleration(r4)
        let r = s.position + (h / 6) * (s.velocity + 2 * v2 + 2 * v3 + v4)
        let v = s.velocity + (h / 6) * (a1 + 2 * a2 + 2 * a3 + a4)
        return StateVector(position: r, velocity: v)
    }

    /// The state after `dt` and the transition matrix Φ (6×6) from the start to the end.
    public func propagateWithSTM(_ s: StateVector, by dt: Double) -> (state: StateVector, stm: Matrix) {
        var phi = Matrix.identity(6).elements
        let x = propagate(s, by: dt, stm: &phi)
        return (x, Matrix(rows: 6, cols: 6, elements: phi))
    }

    /// Propagates `s` by `dt` and multiplies `stm` (row-major 6×6) on the left by the step's transition matrix.
    public func propagate(_ s: StateVector, by dt: Double, stm: inout [Double]) -> StateVector {
        guard dt != 0 else { return s }
        let n = max(1, Int((abs(dt) / maxStep).rounded(.up)))
        let h = dt / Double(n)
        var y = [Double](repeating: 0, count: 42)
        let c = s.components
        for i in 0..<6 { y[i] = c[i] }
        for i in 0..<36 { y[6 + i] = stm[i] }
        var k1 = y, k2 = y, k3 = y, k4 = y, tmp = y
        for _ in 0..<n {
            derivative(y, into: &k1)
            for i in 0..<42 { tmp[i] = y[i] + 0.5 * h * k1[i] }
            derivative(tmp, into: &k2)
            for i in 0..<42 { tmp[i] = y[i] + 0.5 * h * k2[i] }
            derivative(tmp, into: &k3)
            for i in 0..<42 { tmp[i] = y[i] + h * k3[i] }
            derivative(tmp, into: &k4)
            for i in 0..<42 { y[i] += h / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]) }
        }
        for i in 0..<36 { stm[i] = y[6 + i] }
        return StateVector(components: Array(y[0..<6]))
    }

    /// d/dt of [r, v, Φ]: ṙ = v, v̇ = a(r), Φ̇ = [[0, I], [∂a/∂r, 0]] Φ.
    private func derivative(_ y: [Double], into dy: inout [Double]) {
        let r = Vector3(y[0], y[1], y[2])
        let a = gravity.acceleration(r)
        dy[0] = y[3]; dy[1] = y[4]; dy[2] = y[5]
        dy[3] = a.x; dy[4] = a.y; dy[5] = a.z
        let g = gravity.gradient(r)
        for i in 0..<18 { dy[6 + i] = y[6 + 18 + i] }
        for i in 0..<3 {
            for j in 0..<6 {
                dy[6 + 18 + i * 6 + j] = g[i * 3] * y[6 + j] + g[i * 3 + 1] * y[6 + 6 + j] + g[i * 3 + 2] * y[6 + 12 + j]
            }
        }
    }
}
