import Foundation

extension EnvelopeOpener {
    /// Checks a relayed envelope: it embeds the originator's signed header, agrees with it, and carries a consent
    /// signed by the originator that covers this intermediary, this recipient and this information.
    func verifyRelay(_ header: EnvelopeHeader, directory: KeyDirectory, scopeCovers: ScopeEvaluator?) throws {
        let what = "relayed envelope \(header.id)"
        guard let relay = header.relay else {
            throw AccordCryptoError(
                .relayWithoutConsent,
                "\(what): \(header.sender) relays \(header.originator)'s information without the originator's signed header and consent")
        }
        let original = relay.originatorHeader
        guard header.isRelayed else {
            throw AccordCryptoError(.relayMismatch, "\(what): a direct envelope carries a relay attachment")
        }
        guard original.originator == header.originator, original.sender == original.originator,
            original.recipient == header.sender
        else {
            throw AccordCryptoError(
                .relayMismatch, "\(what): the embedded header is not \(header.originator)'s envelope to \(header.sender)")
        }
        guard original.originatorLabel == header.originatorLabel else {
            throw AccordCryptoError(.labelTampered, "\(what): the originator label differs from the originator's signed header")
        }
        guard original.payloadDigest == header.payloadDigest else {
            throw AccordCryptoError(.relayMismatch, "\(what): the payload is not the one the originator signed")
        }
        try verifyBatch(
            headerBytes: relay.originatorHeaderBytes, proof: relay.proof, root: relay.root, signer: original.originator,
            keyID: original.senderKeyID, createdAt: original.createdAt, directory: directory,
            what: "\(what), embedded originator header")
        let consent = relay.consent
        guard consent.originator == original.originator else {
            throw AccordCryptoError(.consentNotCovering, "\(what): the consent is by \(consent.originator), not the originator \(original.originator)")
        }
        try consent.verify(directory: directory, cache: rootCache)
        guard consent.intermediary == header.sender else {
            throw AccordCryptoError(.consentNotCovering, "\(what): the consent names intermediary \(consent.intermediary), not \(header.sender)")
        }
        guard consent.finalRecipient == header.recipient else {
            throw AccordCryptoError(.consentNotCovering, "\(what): the consent allows passing to \(consent.finalRecipient), not \(header.recipient)")
        }
        switch consent.scope {
        case .envelope(let id):
            guard id == original.id else {
                throw AccordCryptoError(.consentNotCovering, "\(what): the consent covers envelope \(id), not \(original.id)")
            }
        case .scope(_, _, let notBefore, let notAfter):
            guard original.createdAt >= notBefore, original.createdAt <= notAfter else {
                throw AccordCryptoError(.consentNotCovering, "\(what): the information was created outside the consent's period")
            }
            guard let scopeCovers else {
                throw AccordCryptoError(.consentNotCovering, "\(what): a scoped consent needs a scope evaluator to be checked")
            }
            guard scopeCovers(consent.scope, original.originatorLabel) else {
                throw AccordCryptoError(.consentNotCovering, "\(what): the label is outside the consent's topics or level ceiling")
            }
        }
    }
}
