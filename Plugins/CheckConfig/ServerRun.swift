import Foundation

/// Runs the server executable and forwards what it prints.
enum ServerRun {
    /// Runs `executable` with `arguments` in the current directory, prints its standard output
    /// and standard error (merged, in the order written), and returns its exit status.
    ///
    /// - Throws: `CheckConfigError` when the executable cannot be started or is ended by a signal.
    static func run(_ executable: URL, arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output

        do {
            try process.run()
        } catch {
            throw CheckConfigError("Could not start \(executable.path): \(error.localizedDescription)")
        }
        // Reading to the end before waiting keeps a full pipe from blocking the server.
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        // An unbuffered write keeps the server's output ahead of the diagnostics that follow it.
        FileHandle.standardOutput.write(data)

        guard process.terminationReason == .exit else {
            throw CheckConfigError(
                "\(executable.lastPathComponent) was ended by signal \(process.terminationStatus)")
        }
        return process.terminationStatus
    }
}
