/* Select2's messages in Kazakh: Select2 ships none, and the admin's search-as-you-type pickers
   would speak English ("No results found"). Registered for "kk" in common/apps.py. */
(function () {
    "use strict";
    if (!(window.jQuery && jQuery.fn && jQuery.fn.select2 && jQuery.fn.select2.amd)) {
        return;
    }
    jQuery.fn.select2.amd.define("select2/i18n/kk", [], function () {
        return {
            errorLoading: function () { return "Нәтижелерді жүктеу мүмкін болмады"; },
            inputTooLong: function (args) {
                return (args.input.length - args.maximum) + " таңбаны өшіріңіз";
            },
            inputTooShort: function (args) {
                return "Тағы кемінде " + (args.minimum - args.input.length) + " таңба енгізіңіз";
            },
            loadingMore: function () { return "Тағы жүктелуде…"; },
            maximumSelected: function (args) {
                return "Ең көбі " + args.maximum + " элемент таңдауға болады";
            },
            noResults: function () { return "Ештеңе табылмады"; },
            searching: function () { return "Іздеу…"; },
            removeAllItems: function () { return "Барлығын өшіру"; }
        };
    });
}());
