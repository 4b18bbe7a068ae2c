import Foundation

/// The parties, agreements and notes shipped with Accord (`Sources/AccordCore/Bundled/`), or read
/// from a directory with the same layout: `parties.json`, `agreements/*.json`, `notes/*.json`.
public enum BundledPolicy {
    /// Loads the shipped policy book.
    public static func load() throws(AgreementFileError) -> PolicyBook {
        guard let url = directory else {
            throw AgreementFileError("bundle", "the bundled agreements are missing from this build")
        }
        return try load(directory: url)
    }

    /// Where the shipped files are (to copy and edit them, as the demo's counterfactual does).
    public static var directory: URL? { Bundle.module.url(forResource: "Bundled", withExtension: nil) }

    /// Loads a policy book from a directory. Files that break any rule stop the load with an error naming them.
    public static func load(directory: URL) throws(AgreementFileError) -> PolicyBook {
        func read(_ url: URL) throws(AgreementFileError) -> Data {
            do { return try Data(contentsOf: url) } catch {
                throw AgreementFileError(url.lastPathComponent, "cannot be read (\(error.localizedDescription))")
            }
        }
        func jsonFiles(_ name: String) throws(AgreementFileError) -> [URL] {
            let folder = directory.appendingPathComponent(name)
            do {
                return try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
                    .filter { $0.pathExtension == "json" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
            } catch {
                throw AgreementFileError(folder.path, "is not a readable directory")
            }
        }
        let parties: PartyDirectory
        do { parties = try PartyDirectory(json: try read(directory.appendingPathComponent("parties.json"))) } catch let error as PartyDataError {
            throw AgreementFileError("parties.json", error.message)
        } catch let error as AgreementFileError { throw error } catch { throw AgreementFileError("parties.json", "\(error)") }

        var agreements: [Agreement] = []
        for url in try jsonFiles("agreements") {
            do {
                agreements.append(try Agreement(json: try read(url), parties: parties))
            } catch {
                throw AgreementFileError("agreements/\(url.lastPathComponent)", error.description)
            }
        }
        var notes: [String: [Note]] = [:]
        let noteFiles = FileManager.default.fileExists(atPath: directory.appendingPathComponent("notes").path) ? try jsonFiles("notes") : []
        for url in noteFiles {
            do {
                let decoded = try Note.decodeFile(try read(url)) { id in
                    agreements.first { $0.id == id }?.term.utcOffsetSeconds ?? 0
                }
                for note in decoded { notes[note.agreement, default: []].append(note) }
            } catch {
                throw AgreementFileError("notes/\(url.lastPathComponent)", error.description)
            }
        }
        for agreement in notes.keys where !agreements.contains(where: { $0.id == agreement }) {
            throw AgreementFileError("notes", "notes name agreement \(agreement), which has no agreement file")
        }
        let histories = try agreements.map { (agreement: Agreement) throws(AgreementFileError) -> AgreementHistory in
            try AgreementHistory(agreement: agreement, notes: notes[agreement.id] ?? [])
        }
        return try PolicyBook(parties: parties, histories: histories)
    }
}
