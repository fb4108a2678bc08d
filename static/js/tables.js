// Tables marked .table-stack become one card per row on a phone (masar.css): each cell is labelled
// with its column's heading, copied here from the table's head so that templates write it once.
document.querySelectorAll("table.table-stack").forEach((table) => {
  const headings = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
  table.querySelectorAll("tbody tr, tfoot tr").forEach((row) => {
    [...row.children].forEach((cell, index) => {
      if (headings[index] && !cell.hasAttribute("data-label")) {
        cell.setAttribute("data-label", headings[index]);
      }
    });
  });
});
