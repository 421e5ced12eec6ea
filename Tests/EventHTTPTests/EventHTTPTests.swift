import Testing

/// The parent of every suite in this target. The tests block threads on socket reads and
/// several of them wait on deadlines, so they run one at a time: in parallel on a two-core
/// machine the blocked reads delay the tasks that other tests wait on.
@Suite(.serialized) struct EventHTTPTests {}
