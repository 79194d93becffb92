"""The document register: policy documents, their files and versions, categories, who may read
a restricted one (grants), and acknowledgements."""
