extension ConfigurationReader {
    /// Reads a `<userStore>` or `<UserStore>` element and its `<users>`.
    ///
    /// - Throws: for a user without username or password, a username containing `:` (Basic
    ///   credentials split at the first colon), the same username twice, a malformed
    ///   `{crypt}` hash or an unresolvable secret.
    func readUserStore(_ element: ConfigElement) throws -> UserStoreConfiguration {
        // A store with a `class` reads its own settings, so only the file store's are checked.
        let className = element.attributes["class"]?.trimmingWhitespace()
        if className == nil {
            warnAboutUnused(element, children: ["users"])
        }

        var users: [UserEntry] = []
        for usersElement in element.children(named: "users") {
            warnAboutUnused(usersElement, children: ["user"])
            for userElement in usersElement.children(named: "user") {
                let user = try readUser(userElement)
                if let earlier = users.first(where: { $0.username == user.username }) {
                    throw SecurityError.configuration(
                        "Username is listed twice", value: user.username,
                        fix: "remove one of the two entries (the first is at line \(earlier.line))",
                        at: userElement.location)
                }
                users.append(user)
            }
        }
        return UserStoreConfiguration(className: className, users: users, element: element)
    }

    private func readUser(_ element: ConfigElement) throws -> UserEntry {
        warnAboutUnused(element, children: ["username", "password", "isAdmin"])
        try rejectRepeats(ofEach: ["username", "password", "isAdmin"], in: element)

        let username = try requiredText(
            "username", in: element, fix: "add <username>name</username> to the <user> element")
        guard !username.contains(":") else {
            throw SecurityError.configuration(
                "Username contains ':', which Basic authentication cannot carry", value: username,
                fix: "choose a username without ':'", at: element.child("username")?.location ?? element.location)
        }

        guard let passwordElement = element.child("password") else {
            throw SecurityError.configuration(
                "Required element <password> is missing", value: username,
                fix: "add <password>...</password> to the user", at: element.location)
        }
        warnAboutUnused(passwordElement, children: [], attributes: ["secretAlias"])
        let password = try secretCapableValue(of: passwordElement, trimming: false)
        guard !password.value.isEmpty else {
            throw SecurityError.configuration(
                "Element <password> is empty", value: username,
                fix: "write the password, a $secret{alias} or a {crypt} hash", at: passwordElement.location)
        }

        // The marker is looked for after trimming, as `$secret{` is, so an indented or
        // line-broken `{crypt}` hash is never taken as a plain password equal to the hash text.
        // A hash has no white space of its own, so trimming it loses nothing.
        let source: UserEntry.PasswordSource
        var storedValue = password.value
        let trimmedValue = password.value.trimmingWhitespace()
        if password.fromVault {
            source = .secret
        } else if trimmedValue.hasPrefix(PasswordHash.cryptMarker) {
            source = .hash
            storedValue = trimmedValue
            do {
                _ = try PasswordHash(storedValue: storedValue, source: .hash)
            } catch var error as SecurityError {
                error.location = passwordElement.location
                throw error
            }
        } else {
            source = .plainText
        }

        let isAdmin = try boolean("isAdmin", in: element, default: false)
        return UserEntry(
            username: username, password: storedValue, passwordSource: source, isAdmin: isAdmin,
            line: element.line)
    }
}
