import Foundation

/// A 3-vector of doubles (metres, metres per second, or a unit direction).
public struct Vector3: Sendable, Hashable, Codable {
    public var x: Double
    public var y: Double
    public var z: Double

    @inlinable public init(_ x: Double, _ y: Double, _ z: Double) {
        self.x = x
        self.y = y
        self.z = z
    }

    public static let zero = Vector3(0, 0, 0)

    @inlinable public var norm: Double { (x * x + y * y + z * z).squareRoot() }
    @inlinable public var normSquared: Double { x * x + y * y + z * z }
    @inlinable public var unit: Vector3 { self / norm }

    @inlinable public func dot(_ o: Vector3) -> Double { x * o.x + y * o.y + z * o.z }
    @inlinable public func cross(_ o: Vector3) -> Vector3 {
        Vector3(y * o.z - z * o.y, z * o.x - x * o.z, x * o.y - y * o.x)
    }

    @inlinable public static func + (a: Vector3, b: Vector3) -> Vector3 { Vector3(a.x + b.x, a.y + b.y, a.z + b.z) }
    @inlinable public static func - (a: Vector3, b: Vector3) -> Vector3 { Vector3(a.x - b.x, a.y - b.y, a.z - b.z) }
    @inlinable public static prefix func - (a: Vector3) -> Vector3 { Vector3(-a.x, -a.y, -a.z) }
    @inlinable public static func * (s: Double, a: Vector3) -> Vector3 { Vector3(s * a.x, s * a.y, s * a.z) }
    @inlinable public static func * (a: Vector3, s: Double) -> Vector3 { Vector3(s * a.x, s * a.y, s * a.z) }
    @inlinable public static func / (a: Vector3, s: Double) -> Vector3 { Vector3(a.x / s, a.y / s, a.z / s) }
    @inlinable public static func += (a: inout Vector3, b: Vector3) { a = a + b }
    @inlinable public static func -= (a: inout Vector3, b: Vector3) { a = a - b }

    @inlinable public subscript(i: Int) -> Double {
        get { i == 0 ? x : (i == 1 ? y : z) }
        set {
            switch i {
            case 0: x = newValue
            case 1: y = newValue
            default: z = newValue
            }
        }
    }
}

/// Position and velocity (metres, metres per second) in one frame.
public struct StateVector: Sendable, Hashable, Codable {
    public var position: Vector3
    public var velocity: Vector3

    @inlinable public init(position: Vector3, velocity: Vector3) {
        self.position = position
        self.velocity = velocity
    }

    /// The six components in the order x, y, z, vx, vy, vz.
    public var components: [Double] {
        [position.x, position.y, position.z, velocity.x, velocity.y, velocity.z]
    }

    public init(components c: [Double]) {
        precondition(c.count == 6, "a state has six components")
        self.init(position: Vector3(c[0], c[1], c[2]), velocity: Vector3(c[3], c[4], c[5]))
    }

    @inlinable public static func + (a: StateVector, b: StateVector) -> StateVector {
        StateVector(position: a.position + b.position, velocity: a.velocity + b.velocity)
    }
    @inlinable public static func - (a: StateVector, b: StateVector) -> StateVector {
        StateVector(position: a.position - b.position, velocity: a.velocity - b.velocity)
    }
    @inlinable public static func * (s: Double, a: StateVector) -> StateVector {
        StateVector(position: s * a.position, velocity: s * a.velocity)
    }
}
