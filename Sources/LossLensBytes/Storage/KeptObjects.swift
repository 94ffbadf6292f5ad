/// Objects kept alive together, each lent to a closure without a retain: for an object fetched for
/// every line of a large log, where a retain and its release cost a fifth of reading the line.
///
/// Objects are only ever added, so an object lent out stays alive at least as long as this keeps it.
@_spi(Layers) public struct KeptObjects<Object: AnyObject> {
    private var objects: [Object] = []
    /// The same objects, unretained: reading one touches no reference count.
    private var unretained: [Unmanaged<Object>] = []

    @_spi(Layers) public init() {}

    /// Keeps `object` with the others; returns its number.
    @_spi(Layers) public mutating func keep(_ object: Object) -> Int {
        objects.append(object)
        unretained.append(.passUnretained(object))
        return objects.count - 1
    }

    @_spi(Layers) public subscript(number: Int) -> Object { objects[number] }

    /// Calls `body` with object `number`, not retained for the call: this keeps it alive.
    @_spi(Layers) public func withObject<Result>(_ number: Int, _ body: (Object) throws -> Result) rethrows -> Result {
        try unretained[number]._withUnsafeGuaranteedRef(body)
    }
}
