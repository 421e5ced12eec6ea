import Testing
import EventHTTP

