"""Documents: request letters, action sheets and the offline edition.

Built from the same dataset and plans as the site; PDFs through Typst, DOCX
through python-docx. Nothing a defender writes into a letter is stored.
"""
