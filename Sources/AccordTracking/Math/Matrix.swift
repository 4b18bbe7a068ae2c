import Foundation

/// A small dense row-major matrix: the covariances, Jacobians and information matrices of the estimators.
public struct Matrix: Sendable, Hashable {
    public let rows: Int
    public let cols: Int
    public var elements: [Double]

    public init(rows: Int, cols: Int, repeating value: Double = 0) {
        self.rows = rows
        self.cols = cols
        self.elements = Array(repeating: value, count: rows * cols)
    }

    public init(rows: Int, cols: Int, elements: [Double]) {
        precondition(elements.count == rows * cols, "element count must be rows × cols")
        self.rows = rows
        self.cols = cols
        self.elements = elements
    }

    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, cols: n)
        for i in 0..<n { m.elements[i * n + i] = 1 }
        return m
    }

    public static func diagonal(_ d: [Double]) -> Matrix {
        var m = Matrix(rows: d.count, cols: d.count)
        for (i, v) in d.enumerated() { m.elements[i * d.count + i] = v }
        return m
    }

    /// A column vector.
    public init(column: [Double]) {
        self.init(rows: column.count, cols: 1, elements: column)
    }

    @inlinable public subscript(i: Int, j: Int) -> Double {
        get { elements[i * cols + j] }
        set { elements[i * cols + j] = newValue }
    }

    public var transposed: Matrix {
        var t = Matrix(rows: cols, cols: rows)
        for i in 0..<rows {
            for j in 0..<cols { t.elements[j * rows + i] = elements[i * cols + j] }
        }
        return t
    }

    public var trace: Double {
        var s = 0.0
        for i in 0..<min(rows, cols) { s += elements[i * cols + i] }
        return s
    }

    public var diagonalElements: [Double] { (0..<min(rows, cols)).map { self[$0, $0] } }

    /// (A + Aᵀ)/2: removes the asymmetry that round-off leaves in a covariance.
    public var symmetrized: Matrix {
        precondition(rows == cols, "only a square matrix can be symmetric")
        var s = self
        for i in 0..<rows {
            for j in (i + 1)..<cols {
                let v = 0.5 * (elements[i * cols + j] + elements[j * cols + i])
                s.elements[i * cols + j] = v
                s.elements[j * cols + i] = v
            }
        }
        return s
    }

    /// The block of `rowCount` × `colCount` starting at (`row`, `col`).
    public func block(row: Int, col: Int, rowCount: Int, colCount: Int) -> Matrix {
        var b = Matrix(rows: rowCount, cols: colCount)
        for i in 0..<rowCount {
            for j in 0..<colCount { b.elements[i * colCount + j] = elements[(row + i) * cols + col + j] }
        }
        return b
    }

    public static func + (a: Matrix, b: Matrix) -> Matrix {
        precondition(a.rows == b.rows && a.cols == b.cols, "shape mismatch")
        var c = a
        for k in 0..<c.elements.count { c.elements[k] += b.elements[k] }
        return c
    }

    public static func - (a: Matrix, b: Matrix) -> Matrix {
        precondition(a.rows == b.rows && a.cols == b.cols, "shape mismatch")
        var c = a
        for k in 0..<c.elements.count { c.elements[k] -= b.elements[k] }
        return c
    }

    public static func * (s: Double, a: Matrix) -> Matrix {
        var c = a
        for k in 0..<c.elements.count { c.elements[k] *= s }
        return c
    }

    public static func * (a: Matrix, b: Matrix) -> Matrix {
        precondition(a.cols == b.rows, "shape mismatch")
        var c = Matrix(rows: a.rows, cols: b.cols)
        let n = a.rows, m = a.cols, p = b.cols
        a.elements.withUnsafeBufferPointer { pa in
            b.elements.withUnsafeBufferPointer { pb in
                c.elements.withUnsafeMutableBufferPointer { pc in
                    for i in 0..<n {
                        for k in 0..<m {
                            let aik = pa[i * m + k]
                            if aik == 0 { continue }
                            for j in 0..<p { pc[i * p + j] += aik * pb[k * p + j] }
                        }
                    }
                }
            }
        }
        return c
    }

    /// A · v for a vector v.
    public static func * (a: Matrix, v: [Double]) -> [Double] {
        precondition(a.cols == v.count, "shape mismatch")
        var out = [Double](repeating: 0, count: a.rows)
        for i in 0..<a.rows {
            var s = 0.0
            for j in 0..<a.cols { s += a.elements[i * a.cols + j] * v[j] }
            out[i] = s
        }
        return out
    }

    /// A · B · Aᵀ, symmetrised (covariance propagation).
    public func sandwich(_ b: Matrix) -> Matrix { (self * b * transposed).symmetrized }

    /// The lower Cholesky factor L with A = L Lᵀ, or nil when A is not positive definite.
    public func cholesky() -> Matrix? {
        precondition(rows == cols, "Cholesky needs a square matrix")
        let n = rows
        var l = Matrix(rows: n, cols: n)
        for j in 0..<n {
            var d = self[j, j]
            for k in 0..<j { d -= l[j, k] * l[j, k] }
            guard d > 0, d.isFinite else { return nil }
            let ljj = d.squareRoot()
            l[j, j] = ljj
            for i in (j + 1)..<n {
                var s = self[i, j]
                for k in 0..<j { s -= l[i, k] * l[j, k] }
                l[i, j] = s / ljj
            }
        }
        return l
    }

    /// Solves A x = b for symmetric positive-definite A (b may have several columns); nil if A is not SPD.
    public func solveSPD(_ b: Matrix) -> Matrix? {
        guard let l = cholesky() else { return nil }
        let n = rows
        var x = b
        for c in 0..<b.cols {
            for i in 0..<n {  // forward: L y = b
                var s = x[i, c]
                for k in 0..<i { s -= l[i, k] * x[k, c] }
                x[i, c] = s / l[i, i]
            }
            for i in stride(from: n - 1, through: 0, by: -1) {  // back: Lᵀ x = y
                var s = x[i, c]
                for k in (i + 1)..<n { s -= l[k, i] * x[k, c] }
                x[i, c] = s / l[i, i]
            }
        }
        return x
    }

    /// The inverse of a symmetric positive-definite matrix, or nil.
    public func inverseSPD() -> Matrix? { solveSPD(.identity(rows))?.symmetrized }

    /// log det of a symmetric positive-definite matrix, or nil.
    public func logDeterminantSPD() -> Double? {
        guard let l = cholesky() else { return nil }
        var s = 0.0
        for i in 0..<rows { s += log(l[i, i]) }
        return 2 * s
    }

    /// xᵀ A⁻¹ x for symmetric positive-definite A (a Mahalanobis distance squared), or nil.
    public func inverseQuadraticForm(_ x: [Double]) -> Double? {
        guard let y = solveSPD(Matrix(column: x)) else { return nil }
        var s = 0.0
        for i in 0..<x.count { s += x[i] * y.elements[i] }
        return s
    }
}

/// Eigen-decomposition of a symmetric 2×2 matrix [[a, b], [b, c]]: used for error ellipses.
public struct SymmetricEigen2: Sendable, Hashable {
    public let larger: Double
    public let smaller: Double
    /// Angle of the larger eigenvalue's axis, radians, counter-clockwise from the first axis.
    public let angle: Double

    public init(a: Double, b: Double, c: Double) {
        let mean = 0.5 * (a + c)
        let diff = 0.5 * (a - c)
        let r = (diff * diff + b * b).squareRoot()
        larger = mean + r
        smaller = mean - r
        angle = 0.5 * atan2(2 * b, a - c)
    }
}
