#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Conversions between C strings the caller lends us and Swift values, and the malloc'd
/// strings handed back (freed by `kc_free`, i.e. `free`).
enum CStrings {
    /// A required input string; NULL is an invalid argument naming the parameter.
    static func required(_ pointer: UnsafePointer<CChar>?, _ name: String) throws(CABIError) -> String {
        guard let pointer else { throw .invalidArgument("\(name) is NULL") }
        return try validated(pointer, "\(name)")
    }

    /// A required, non-empty input string.
    static func nonEmpty(_ pointer: UnsafePointer<CChar>?, _ name: String) throws(CABIError) -> String {
        let value = try required(pointer, name)
        if value.isEmpty { throw .invalidArgument("\(name) is empty") }
        return value
    }

    /// An optional input string: NULL → nil; "" stays "" unless `emptyIsNil`. `name` names
    /// the parameter in the error ("namespace_name", "kc_list_options.label_selector").
    static func optional(_ pointer: UnsafePointer<CChar>?, _ name: @autoclosure () -> String,
                         emptyIsNil: Bool = true) throws(CABIError) -> String? {
        guard let pointer else { return nil }
        if emptyIsNil && pointer.pointee == 0 { return nil }
        return try validated(pointer, name())
    }

    /// The one conversion of caller text to a Swift string. Invalid UTF-8 is refused, never
    /// repaired: `String(cString:)` would turn "cm-\xff" and "cm-\xfe" into the same name
    /// (issue 11, item 14).
    static func validated(_ pointer: UnsafePointer<CChar>, _ name: @autoclosure () -> String) throws(CABIError) -> String {
        guard let value = String(validatingCString: pointer) else {
            throw .invalidArgument("\(name()) is not valid UTF-8")
        }
        return value
    }

    /// Text given as bytes (a body, a manifest) as a string; invalid UTF-8 is refused.
    static func text(_ bytes: [UInt8], _ name: @autoclosure () -> String) throws(CABIError) -> String {
        guard let value = String(validating: bytes, as: UTF8.self) else {
            throw .invalidArgument("\(name()) is not valid UTF-8")
        }
        return value
    }

    /// The bytes of a NUL-terminated input string, without the NUL.
    static func bytes(_ pointer: UnsafePointer<CChar>) -> [UInt8] {
        let count = strlen(pointer)
        return pointer.withMemoryRebound(to: UInt8.self, capacity: count) {
            Array(UnsafeBufferPointer(start: $0, count: count))
        }
    }

    /// A malloc'd NUL-terminated copy of `bytes` (freed with `kc_free`).
    static func allocate<C: Collection<UInt8>>(_ bytes: C) throws(CABIError) -> UnsafeMutablePointer<CChar> {
        let count = bytes.count
        guard let raw = malloc(count + 1) else { throw .internalError("out of memory (\(count) bytes)") }
        // Contiguous bytes (arrays, buffers: every JSON result) go through memcpy; the generic
        // initializer copies element by element, which dominated lister reads and large lists.
        let copied: Void? = bytes.withContiguousStorageIfAvailable { source in
            if let base = source.baseAddress { memcpy(raw, base, count) }
        }
        if copied == nil {
            _ = UnsafeMutableRawBufferPointer(start: raw, count: count + 1).initializeMemory(as: UInt8.self, from: bytes)
        }
        raw.storeBytes(of: 0, toByteOffset: count, as: UInt8.self)
        return raw.assumingMemoryBound(to: CChar.self)
    }

    /// A malloc'd copy of `string`.
    static func allocate(_ string: String) throws(CABIError) -> UnsafeMutablePointer<CChar> {
        try allocate(Array(string.utf8))
    }

    /// A static string's NUL-terminated bytes as a C string (lives forever).
    static func staticC(_ string: StaticString) -> UnsafePointer<CChar> {
        UnsafeRawPointer(string.utf8Start).assumingMemoryBound(to: CChar.self)
    }
}
