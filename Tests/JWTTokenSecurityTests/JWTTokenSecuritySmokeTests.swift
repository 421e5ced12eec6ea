import Testing
import JWTTokenSecurity

