import PackagePlugin

@main
struct ScaffoldHandler: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {}
}
