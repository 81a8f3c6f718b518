"""What is wrong with a document, located, and the document the mock can serve despite it."""
