import InternalAPISecurity

/// The responses of a `BasicSecurityHandler`, built once per handler so that every rejection of
/// one kind is byte-identical and costs no formatting on the request path.
struct BasicSecurityResponses: Sendable {
    let missingCredentials: SecurityResponse
    let multipleAuthorizationHeaders: SecurityResponse
    let bearerNotAccepted: SecurityResponse
    /// The one response for an unknown user and for a wrong password.
    let invalidCredentials: SecurityResponse
    let tokenEndpointUnavailable: SecurityResponse
    private let malformedByReason: [CredentialsError.Reason: SecurityResponse]

    init(realm: String) {
        let challenge: HTTPHeaders = ["WWW-Authenticate": AuthenticationChallenge.basic(realm: realm)]
        func unauthorized(_ message: String) -> SecurityResponse {
            SecurityResponse.error(status: 401, message: message, headers: challenge)
        }

        missingCredentials = unauthorized("Authentication is required: send Basic credentials")
        multipleAuthorizationHeaders = unauthorized("The request has more than one Authorization header")
        bearerNotAccepted = unauthorized("This resource accepts Basic credentials only")
        invalidCredentials = unauthorized("Invalid credentials")
        tokenEndpointUnavailable = SecurityResponse.error(
            status: 404,
            message: "Login and logout are not available with BasicSecurityHandler because they need "
                + "JWTTokenSecurityHandler. Send Basic credentials on every request instead")

        var malformed: [CredentialsError.Reason: SecurityResponse] = [:]
        for reason in CredentialsError.Reason.allCases {
            malformed[reason] = unauthorized(CredentialsError(reason).message)
        }
        malformedByReason = malformed
    }

    /// Returns the 401 for a header the parser rejected, naming what was wrong with it.
    func malformed(_ error: CredentialsError) -> SecurityResponse {
        malformedByReason[error.reason] ?? invalidCredentials
    }
}
