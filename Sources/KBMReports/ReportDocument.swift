import Foundation

/// A finished report as data: what the HTML and Markdown renderers turn into a page. Every number
/// in it was computed by a report's model (Bilanz, Nachverfolgung, …); the renderers compute none.
public struct ReportDocument: Sendable, Equatable {
    public var title: String
    /// The period, the county and the day it was made, in one line.
    public var subtitle: String
    /// `intern` for a report that may hold local (personal) fields; nil for one to hand out.
    public var marking: String?
    public var sections: [Section]

    public init(title: String, subtitle: String, marking: String? = nil, sections: [Section]) {
        self.title = title
        self.subtitle = subtitle
        self.marking = marking
        self.sections = sections
    }

    public struct Section: Sendable, Equatable {
        public var heading: String
        public var blocks: [Block]
        public init(_ heading: String, _ blocks: [Block]) {
            self.heading = heading
            self.blocks = blocks
        }
    }

    public enum Block: Sendable, Equatable {
        case paragraph(String)
        /// Key figures, each with a stable id (`events-held`) emitted as `data-figure`.
        case figures([KeyFigure])
        case table(Table)
        case chart(Chart)
    }
}

/// One number of a report: an id for tests and tools, a German label, the value.
public struct KeyFigure: Sendable, Equatable {
    public var id: String
    public var label: String
    public var value: Int
    public init(_ id: String, _ label: String, _ value: Int) {
        self.id = id
        self.label = label
        self.value = value
    }
}

/// A table: headings, rows of text cells. `id` is emitted as `data-table`; the first cell of a
/// row as its `data-key`.
public struct Table: Sendable, Equatable {
    public var id: String
    public var columns: [String]
    public var rows: [[String]]
    /// Said instead of an empty table.
    public var empty: String
    /// The columns' widths in percent of the page, for tables with long texts; nil: even.
    public var widths: [Int]?
    public init(id: String, columns: [String], rows: [[String]], empty: String = "Keine Einträge.", widths: [Int]? = nil) {
        self.id = id
        self.columns = columns
        self.rows = rows
        self.empty = empty
        self.widths = widths
    }
}
