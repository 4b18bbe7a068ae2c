import AccordCore
import AccordNode
import ArgumentParser
import Foundation

/// `accord user add|remove|list`: the node's users, in its configuration file.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage a node's users (clearance, need-to-know, roles, tokens).",
        discussion: "The node reads its users at start: restart it (`accord serve`) after a change.",
        subcommands: [Add.self, Remove.self, List.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a user; their API token (and TAXII password, with --password) is printed once.",
            discussion: "Example: accord user add --config kr-node/node.json kim:II:nk-missile,nk-nuclear\n         accord user add --config kr-node/node.json lee:II::notes   (a treaty officer)")

        @Option(help: "The node's configuration file.") var config: String
        @Flag(help: "Also create a password for HTTP Basic (TAXII clients).") var password = false
        @OptionGroup var policy: PolicyOptions
        @Argument(help: "id:clearance:topic,topic[:role,role] (roles: notes, outbox).") var user: String

        func run() async throws {
            let secret = password ? NodeSetup.makeToken() : nil
            let newUser = try parseNewUser(user, option: "user", password: secret)
            do {
                let configuration = try NodeSetup.addUser(configuration: URL(fileURLWithPath: config), newUser, book: try policy.load())
                print("Added \(newUser.id) to the \(configuration.party) node (\(configuration.users.count) users); restart the node to apply.")
            } catch let error as InputError { throw error } catch {
                throw InputError("\(error)")
            }
            print("  token for \(newUser.id): \(newUser.token)  (shown once)")
            if let secret { print("  TAXII password for \(newUser.id): \(secret)  (shown once)") }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a user; their token stops working when the node restarts.")

        @Option(help: "The node's configuration file.") var config: String
        @Argument(help: "The user's id.") var id: String

        func run() async throws {
            do {
                let configuration = try NodeSetup.removeUser(configuration: URL(fileURLWithPath: config), id: id)
                print("Removed \(id) from the \(configuration.party) node (\(configuration.users.count) users left); restart the node to apply.")
            } catch {
                throw InputError("\(error)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the node's users (never their tokens).")

        @Option(help: "The node's configuration file.") var config: String

        func run() async throws {
            let configuration: NodeConfiguration
            do { configuration = try NodeConfiguration.load(from: URL(fileURLWithPath: config)) } catch { throw InputError("\(error)") }
            print("\(configuration.party) node: \(configuration.users.count) users")
            for user in configuration.users {
                let topics = user.needToKnow.map(\.rawValue).joined(separator: ",")
                let extras = (user.roles.map { "role \($0.rawValue)" } + (user.passwordSHA256 == nil ? [] : ["TAXII password"])).joined(separator: ", ")
                print("  \(user.id.padding(toLength: 16, withPad: " ", startingAt: 0)) clearance \(user.clearance)  need-to-know \(topics.isEmpty ? "-" : topics)\(extras.isEmpty ? "" : "  (\(extras))")")
            }
        }
    }
}
