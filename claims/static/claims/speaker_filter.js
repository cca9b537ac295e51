'use strict';
// The claim changelist's speaker filter: picking a speaker in the search box reloads
// the list filtered by that speaker; clearing the box removes the filter.
window.addEventListener('load', function () {
    const $ = django.jQuery;
    $('#speaker-filter').on('change', function () {
        const params = new URLSearchParams(window.location.search);
        const name = this.dataset.parameter;
        params.delete('p');
        if (this.value) {
            params.set(name, this.value);
        } else {
            params.delete(name);
        }
        window.location.search = params.toString();
    });
});
