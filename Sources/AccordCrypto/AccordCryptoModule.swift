/// Node identities, hybrid signatures, HPKE epoch keys, sealed envelopes, consents and receipts.
public enum AccordCryptoModule {}
