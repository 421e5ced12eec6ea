print("ciphertool: not built yet")
