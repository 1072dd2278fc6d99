// Fills the report's hidden coordinates from the phone, only when the resident ticks
// "share my location" (the browser asks for their consent too).
document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("id_share_location");
  if (!box || !navigator.geolocation) return;
  box.addEventListener("change", function () {
    var lat = document.getElementById("id_latitude");
    var lon = document.getElementById("id_longitude");
    if (!box.checked) { lat.value = ""; lon.value = ""; return; }
    navigator.geolocation.getCurrentPosition(function (pos) {
      lat.value = pos.coords.latitude.toFixed(6);
      lon.value = pos.coords.longitude.toFixed(6);
    }, function () { box.checked = false; });
  });
});
