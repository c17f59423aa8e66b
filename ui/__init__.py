"""What pages share: the store, cached metric results, filters, formats, empty states."""
