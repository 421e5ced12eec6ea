import Testing
import InternalAPISecurity

