import PackagePlugin

@main
struct CheckConfig: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {}
}
