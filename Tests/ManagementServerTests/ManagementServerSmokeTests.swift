import Testing
import ManagementServer

