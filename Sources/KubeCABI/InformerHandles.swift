import CKubeABI
import KubeClient
import KubeCore
import KubeRuntime

/// What a `kc_informer_factory *` points at: the Swift factory, the client handle it keeps
/// alive, and the informer handles it handed out (freed with it).
final class InformerFactoryHandle: Sendable {
    static let table = HandleTable<InformerFactoryHandle>(typeName: "kc_informer_factory",
                                                          isQuiescent: { $0.factory.isQuiescent })

    let factory: InformerFactory
    let client: ClientHandle
    private let informers = Locked<[ObjectIdentifier: InformerHandle]>([:])

    init(factory: InformerFactory, client: ClientHandle) {
        self.factory = factory
        self.client = client
    }

    /// The C handle for `informer`, registered on first request (shared informers share it).
    func handle(for informer: SharedInformer) -> OpaquePointer {
        informers.withLock { map -> OpaquePointer in
            if let existing = map[ObjectIdentifier(informer)], let pointer = existing.pointer { return pointer }
            let handle = InformerHandle(informer: informer)
            let pointer = InformerHandle.table.register(handle)
            handle.pointer = pointer
            map[ObjectIdentifier(informer)] = handle
            return pointer
        }
    }

    /// Unregisters every informer handle (after shutdown).
    func releaseInformers() {
        let all = informers.withLock { map -> [InformerHandle] in
            let values = Array(map.values)
            map.removeAll()
            return values
        }
        for handle in all { _ = InformerHandle.table.remove(handle.pointer) }
    }
}

/// What a `kc_informer *` points at.
///
/// `@unchecked Sendable`: `pointer` is written once, under the factory's lock, before the
/// handle is handed to C, and only read afterwards.
final class InformerHandle: @unchecked Sendable {
    static let table = HandleTable<InformerHandle>(typeName: "kc_informer")

    let informer: SharedInformer
    var pointer: OpaquePointer?

    init(informer: SharedInformer) {
        self.informer = informer
    }
}

/// What a `kc_informer_registration *` points at: the Swift registration, and in pull mode
/// the last event handed out (its bytes stay alive until the next call, as documented).
///
/// `@unchecked Sendable`: `lastEvent` is guarded by `lock`.
final class RegistrationHandle: @unchecked Sendable {
    static let table = HandleTable<RegistrationHandle>(typeName: "kc_informer_registration",
                                                       isQuiescent: { $0.registration.isDeliveryFinished })

    let registration: HandlerRegistration
    let informer: SharedInformer
    /// The last event, and the JSON of its objects expanded from the cache's compact form
    /// (the pointers handed out point into these arrays).
    private let lock = Locked<(event: InformerEvent?, json: [[UInt8]])>((nil, []))

    init(registration: HandlerRegistration, informer: SharedInformer) {
        self.registration = registration
        self.informer = informer
    }

    /// Keeps `event` alive until the next call and fills `out` with pointers into it.
    func publish(_ event: InformerEvent?, into out: UnsafeMutablePointer<kc_informer_event>) {
        lock.withLock { last in
            last = (event, [])
            var result = kc_informer_event(type: KC_INFORMER_EVENT_NONE, object: nil, object_len: 0, old_object: nil,
                                           old_object_len: 0, is_initial_list: 0, final_state_unknown: 0)
            switch last.event {
            case nil:
                break
            case .add(let object, let initial)?:
                result.type = KC_INFORMER_EVENT_ADD
                (result.object, result.object_len) = Self.borrow(object, keeping: &last.json)
                result.is_initial_list = initial ? 1 : 0
            case .update(let old, let new)?:
                result.type = KC_INFORMER_EVENT_UPDATE
                (result.object, result.object_len) = Self.borrow(new, keeping: &last.json)
                (result.old_object, result.old_object_len) = Self.borrow(old, keeping: &last.json)
            case .delete(let object, let unknown)?:
                result.type = KC_INFORMER_EVENT_DELETE
                (result.object, result.object_len) = Self.borrow(object, keeping: &last.json)
                result.final_state_unknown = unknown ? 1 : 0
            }
            out.pointee = result
        }
    }

    /// A pointer into the object's JSON. `bytes` expands it from the cache's compact form
    /// into a new array, which `kept` keeps alive, so the pointer stays valid after the
    /// closure returns (documented lifetime: until the next call).
    private static func borrow(_ object: CachedObject, keeping kept: inout [[UInt8]]) -> (UnsafePointer<CChar>?, Int) {
        let json = object.bytes
        kept.append(json)
        return json.withUnsafeBufferPointer { buf in
            (buf.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }, buf.count)
        }
    }
}

/// The caller's C callbacks with their `user_data`.
///
/// `@unchecked Sendable`: function pointers are immutable; `userData` is the caller's
/// opaque pointer, only passed back to the caller's callbacks (its validity is the
/// caller's duty, as the header states).
struct CInformerHandlers: @unchecked Sendable {
    let handlers: kc_informer_handlers
    let userData: UnsafeMutableRawPointer?

    var resourceEventHandler: ResourceEventHandler {
        let userData = UserData(pointer: self.userData)
        var handler = ResourceEventHandler()
        if let fn = handlers.on_add {
            handler.onAdd = { @Sendable (object: CachedObject, initial: Bool) -> Void in
                object.withJSONBytes { buf in
                    fn(Self.chars(buf), buf.count, initial ? 1 : 0, userData.pointer)
                }
            }
        }
        if let fn = handlers.on_update {
            handler.onUpdate = { @Sendable (old: CachedObject, new: CachedObject) -> Void in
                old.withJSONBytes { o in
                    new.withJSONBytes { n in
                        fn(Self.chars(o), o.count, Self.chars(n), n.count, userData.pointer)
                    }
                }
            }
        }
        if let fn = handlers.on_delete {
            handler.onDelete = { @Sendable (object: CachedObject, unknown: Bool) -> Void in
                object.withJSONBytes { buf in
                    fn(Self.chars(buf), buf.count, unknown ? 1 : 0, userData.pointer)
                }
            }
        }
        return handler
    }

    static func chars(_ buf: UnsafeBufferPointer<UInt8>) -> UnsafePointer<CChar>? {
        buf.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }
    }
}

/// The caller's `user_data`.
///
/// `@unchecked Sendable`: only passed back to the caller's own callbacks; its validity and
/// thread-safety are the caller's duty, as the header states.
struct UserData: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer?
}

/// A C index function with its `user_data`, as a Swift `IndexFunction`.
///
/// `@unchecked Sendable`: see `CInformerHandlers`.
struct CIndexFunction: @unchecked Sendable {
    let fn: kc_index_fn
    let userData: UnsafeMutableRawPointer?

    var indexFunction: IndexFunction {
        let fn = self.fn
        let userData = UserData(pointer: self.userData)
        let emit: kc_index_emit_fn = { context, value in
            // Invalid UTF-8 is dropped, not repaired: every lookup refuses it (issue 11, item 14),
            // so a repaired value could only ever match a different, valid string.
            guard let context, let value, let text = String(validatingCString: value) else { return }
            context.assumingMemoryBound(to: [String].self).pointee.append(text)
        }
        return { @Sendable (object: CachedObject) -> [String] in
            var values: [String] = []
            withUnsafeMutablePointer(to: &values) { sink in
                object.withJSONBytes { buf in
                    fn(CInformerHandlers.chars(buf), buf.count, emit, UnsafeMutableRawPointer(sink), userData.pointer)
                }
            }
            return values
        }
    }
}
