extension LabelSelector {
    /// Builds a selector from a `metav1.LabelSelector` JSON value:
    /// `{"matchLabels": {...}, "matchExpressions": [{"key", "operator", "values"}]}` with
    /// operators `In`, `NotIn`, `Exists`, `DoesNotExist`.
    ///
    /// An empty object (or JSON null) yields `everything`. Note that in Kubernetes an *absent*
    /// selector field often selects nothing; callers that care must check for absence first.
    public init(labelSelectorJSON json: JSON) throws(SelectorError) {
        if json.isNull {
            self = .everything
            return
        }
        let rendered = "labelSelector"
        guard json.objectValue != nil else {
            throw SelectorError(selector: rendered, message: "a label selector must be a JSON object")
        }
        var requirements: [LabelRequirement] = []
        if let matchLabels = json["matchLabels"], !matchLabels.isNull {
            guard let labels = matchLabels.objectValue else {
                throw SelectorError(selector: rendered, message: "matchLabels must be an object of strings")
            }
            for (key, value) in labels {
                guard let text = value.stringValue else {
                    throw SelectorError(selector: rendered, message: "matchLabels[\"\(key)\"] must be a string")
                }
                requirements.append(try LabelRequirement(key: key, op: .equals, values: [text]))
            }
        }
        if let expressions = json["matchExpressions"], !expressions.isNull {
            guard let list = expressions.arrayValue else {
                throw SelectorError(selector: rendered, message: "matchExpressions must be an array")
            }
            for (index, expression) in list.enumerated() {
                let place = "matchExpressions[\(index)]"
                guard let key = expression["key"]?.stringValue else {
                    throw SelectorError(selector: rendered, message: "\(place).key must be a string")
                }
                guard let operatorName = expression["operator"]?.stringValue else {
                    throw SelectorError(selector: rendered, message: "\(place).operator must be a string")
                }
                var values: [String] = []
                if let rawValues = expression["values"], !rawValues.isNull {
                    guard let array = rawValues.arrayValue else {
                        throw SelectorError(selector: rendered, message: "\(place).values must be an array of strings")
                    }
                    for item in array {
                        guard let text = item.stringValue else {
                            throw SelectorError(selector: rendered, message: "\(place).values must be an array of strings")
                        }
                        values.append(text)
                    }
                }
                let op: LabelRequirement.Operator
                switch operatorName {
                case "In": op = .in
                case "NotIn": op = .notIn
                case "Exists": op = .exists
                case "DoesNotExist": op = .doesNotExist
                default:
                    throw SelectorError(selector: rendered,
                                        message: "\(place).operator \"\(operatorName)\" is not a valid label selector operator (In, NotIn, Exists, DoesNotExist)")
                }
                do {
                    requirements.append(try LabelRequirement(key: key, op: op, values: values))
                } catch {
                    throw SelectorError(selector: rendered, message: "\(place): \(error.message)")
                }
            }
        }
        self.init(requirements: requirements)
    }

    /// The `metav1.LabelSelector` JSON form: equality requirements become `matchLabels`,
    /// the rest `matchExpressions`. `!=`, `>` and `<` have no JSON form and are written as
    /// `NotIn` (for `!=`) or dropped (`>`/`<`, which metav1.LabelSelector cannot express).
    public func labelSelectorJSON() -> JSON {
        var matchLabels: [String: JSON] = [:]
        var expressions: [JSON] = []
        for requirement in requirements {
            switch requirement.op {
            case .equals:
                matchLabels[requirement.key] = .string(requirement.values[0])
            case .in, .notIn, .notEquals:
                expressions.append(.object([
                    "key": .string(requirement.key),
                    "operator": .string(requirement.op == .in ? "In" : "NotIn"),
                    "values": .array(requirement.values.map { .string($0) }),
                ]))
            case .exists, .doesNotExist:
                expressions.append(.object([
                    "key": .string(requirement.key),
                    "operator": .string(requirement.op == .exists ? "Exists" : "DoesNotExist"),
                ]))
            case .greaterThan, .lessThan:
                continue
            }
        }
        var result: [String: JSON] = [:]
        if !matchLabels.isEmpty { result["matchLabels"] = .object(matchLabels) }
        if !expressions.isEmpty { result["matchExpressions"] = .array(expressions) }
        return .object(result)
    }
}
