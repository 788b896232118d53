import CLibgit2

extension Repository {
    /// The best common ancestor of two commits, nil if they share no history.
    public func mergeBase(_ a: ObjectID, _ b: ObjectID) throws -> ObjectID? {
        var out = git_oid()
        var first = a.oid
        var second = b.oid
        let code = git_merge_base(&out, pointer, &first, &second)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try check(code, "finding the merge base of \(a.short) and \(b.short)")
        return ObjectID(out)
    }

    /// Whether `ancestor` is reachable from `descendant` (true when they are equal).
    public func isAncestor(_ ancestor: ObjectID, of descendant: ObjectID) throws -> Bool {
        if ancestor == descendant { return true }
        var commit = descendant.oid
        var candidate = ancestor.oid
        let result = try check(git_graph_descendant_of(pointer, &commit, &candidate),
                               "checking whether \(ancestor.short) is an ancestor of \(descendant.short)")
        return result == 1
    }

    /// Commits reachable from `tip` but not from any of `hiding`, oldest first (parents before
    /// children). Throws `GitError` if a commit is missing.
    public func commits(from tip: ObjectID, hiding: [ObjectID] = []) throws -> [ObjectID] {
        let walk = try Handle.make("starting a history walk", free: git_revwalk_free) { git_revwalk_new($0, pointer) }
        return try walk.use { walk in
            try check(git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_TIME.rawValue | GIT_SORT_REVERSE.rawValue),
                      "sorting a history walk")
            var tipOID = tip.oid
            try check(git_revwalk_push(walk, &tipOID), "walking history from \(tip.short)")
            for hidden in hiding {
                var oid = hidden.oid
                try check(git_revwalk_hide(walk, &oid), "hiding history of \(hidden.short)")
            }
            var result: [ObjectID] = []
            var oid = git_oid()
            while true {
                let code = git_revwalk_next(&oid, walk)
                if code == GIT_ITEROVER.rawValue { break }
                try check(code, "walking history from \(tip.short)")
                result.append(ObjectID(oid))
            }
            return result
        }
    }
}
