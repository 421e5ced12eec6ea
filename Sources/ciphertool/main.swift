import Foundation
import InternalAPISecurity
import SecureVault

// Warnings only: the tool's own output is the result, and log lines would mix into it.
let logger = Logger(label: "ciphertool", handler: StreamLogHandler(logLevel: .warning))
let status = CipherTool(io: .process, logger: logger).run(Array(CommandLine.arguments.dropFirst()))
exit(status)
