"""Reading a document: parse, bundle, convert (Swagger 2.0, 3.1), index operations,
recognise resources."""
