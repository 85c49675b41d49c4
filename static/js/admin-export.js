// The "Select all" box of django-import-export's export page (templates/admin/import_export/
// export.html). Its template called onSelectToggleChange (export_selectable_fields.js) from an
// inline onchange attribute, which the Content-Security-Policy blocks; it is bound here.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("input.select-toggle").forEach((toggle) => {
    toggle.addEventListener("change", (event) => onSelectToggleChange(event));
  });
});
