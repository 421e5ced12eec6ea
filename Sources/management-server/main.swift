print("management-server: not built yet")
