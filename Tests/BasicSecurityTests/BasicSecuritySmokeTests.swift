import Testing
import BasicSecurity

