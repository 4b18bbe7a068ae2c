/// Ballistic missile flight, radar models, estimation and multi-sensor fusion (pure maths, no I/O).
public enum Tracking {}
