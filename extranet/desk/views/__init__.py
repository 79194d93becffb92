"""The sales staff's pages on the intranet (/sales/, URL namespace `sales`): the index, product
and stock inquiry, retailers and their logins and imports, orders and picking lists, and the
feedback desk. Who sees what is decided in extranet.permissions and the selectors."""

PAGE_SIZE = 50
