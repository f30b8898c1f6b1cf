/// Turns user input into FTS5 MATCH expressions that cannot be misread as FTS5 syntax
/// (operators, column filters, NEAR, unbalanced quotes): every term becomes a quoted string.
enum FTSQuery {
    /// `q` → `"term1" "term2"*` (implicit AND). A term ending in `*` becomes a prefix query,
    /// or, when `expand` names the index terms it stands for (PrefixTerms), their disjunction:
    /// `"term1" AND ("term2a" OR "term2b")`. nil when `q` has no terms.
    static func fullText(_ q: String, expand: (Substring) -> [String]? = { _ in nil }) -> String? {
        var parts: [String] = []
        var expanded = false
        for word in q.split(whereSeparator: { $0.isWhitespace }) {
            var term = Substring(word)
            var prefix = false
            while term.last == "*" { term = term.dropLast(); prefix = true }
            guard !term.isEmpty else { continue }
            if prefix, let terms = expand(term), !terms.isEmpty {
                parts.append("(" + terms.map { quoted(Substring($0)) }.joined(separator: " OR ") + ")")
                expanded = true
            } else {
                parts.append(quoted(term) + (prefix ? "*" : ""))
            }
        }
        return parts.isEmpty ? nil : parts.joined(separator: expanded ? " AND " : " ")
    }

    /// A subject substring as a phrase for the trigram index: the substring's trigrams in a row.
    /// nil when it is shorter than three characters (a trigram index cannot answer it).
    static func trigramPhrase(_ substring: String) -> String? {
        substring.count >= 3 ? quoted(Substring(substring)) : nil
    }

    /// A LIKE pattern matching `substring` anywhere, with `\` as the escape character.
    static func likePattern(_ substring: String) -> String {
        var out = "%"
        for c in substring {
            if c == "%" || c == "_" || c == "\\" { out.append("\\") }
            out.append(c)
        }
        return out + "%"
    }

    /// An FTS5 string: inside double quotes, a double quote is written twice.
    private static func quoted(_ s: Substring) -> String {
        "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension Substring {
    fileprivate func replacingOccurrences(of target: Character, with replacement: String) -> String {
        var out = ""
        out.reserveCapacity(count + 2)
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}
