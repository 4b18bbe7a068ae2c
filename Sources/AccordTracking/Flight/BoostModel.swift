import Foundation

/// A simple powered ascent: one equivalent stage obeying the rocket equation, a short vertical rise, then a
/// pitch-over that turns the thrust linearly (in time) from vertical to a final pitch angle, reached half-way
/// through the rest of the burn and held until burnout.
///
/// Thrust acceleration is c/(τ − t) with τ = c/(T/W₀·g₀), so the burn that delivers an ideal velocity Δv lasts
/// t_b = τ(1 − e^(−Δv/c)). Gravity losses come out of the integration. The thrust stays in the vertical plane
/// through the launch site that has the given azimuth, frozen in the inertial frame at the launch instant.
public struct BoostModel: Sendable, Hashable, Codable {
    /// Effective exhaust velocity c, m/s.
    public var exhaustVelocity: Double
    /// Thrust-to-weight ratio at lift-off.
    public var initialThrustToWeight: Double
    /// Seconds of vertical flight before the pitch-over starts.
    public var verticalRise: Double

    public static let standardGravity = 9.806_65

    public init(exhaustVelocity: Double, initialThrustToWeight: Double, verticalRise: Double) {
        self.exhaustVelocity = exhaustVelocity
        self.initialThrustToWeight = initialThrustToWeight
        self.verticalRise = verticalRise
    }

    /// Short-range solid missile (KN-23 / Scud class): c = 2.4 km/s, T/W 2.5, 5 s vertical.
    public static let shortRange = BoostModel(exhaustVelocity: 2_400, initialThrustToWeight: 2.5, verticalRise: 5)
    /// Long-range liquid or solid missile (Hwasong class), as one equivalent stage: c = 3.0 km/s, T/W 1.6, 10 s vertical.
    public static let longRange = BoostModel(exhaustVelocity: 3_000, initialThrustToWeight: 1.6, verticalRise: 10)

    /// The class whose burnout speed suits a flight needing roughly `burnoutSpeed` m/s.
    public static func typical(forBurnoutSpeed burnoutSpeed: Double) -> BoostModel {
        burnoutSpeed < 4_000 ? .shortRange : .longRange
    }

    /// τ = c / a₀, s.
    public var massDepletionTime: Double { exhaustVelocity / (initialThrustToWeight * Self.standardGravity) }

    /// Burn time for an ideal velocity `deltaV`, s.
    public func burnTime(deltaV: Double) -> Double {
        massDepletionTime * (1 - exp(-deltaV / exhaustVelocity))
    }

    /// Thrust acceleration magnitude at time t (0 after burnout), m/s².
    public func thrustAcceleration(at t: Double, burnTime: Double) -> Double {
        guard t >= 0, t < burnTime else { return 0 }
        return exhaustVelocity / (massDepletionTime - t)
    }

    /// Pitch above the launch horizontal at time t, radians.
    public func pitch(at t: Double, burnTime: Double, finalPitch: Double) -> Double {
        let rise = min(verticalRise, 0.5 * burnTime)
        guard t > rise else { return .pi / 2 }
        let f = min(1, (t - rise) / (0.5 * (burnTime - rise)))
        return .pi / 2 + f * (finalPitch - .pi / 2)
    }
}
