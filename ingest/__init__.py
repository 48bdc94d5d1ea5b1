"""Reading reports, extracting facts, linking them and building one RDF graph per report."""
