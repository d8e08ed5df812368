// AssayDesign — Curriculum designer tools: the integration matrix, what-if diffs between rubric versions, CASE export.
