/// The node service: configuration, federation over mutual TLS, the release pipeline and the HTTP API.
public enum AccordNodeModule {}
