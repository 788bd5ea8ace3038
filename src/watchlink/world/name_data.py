"""Name tables for the synthetic world: common given and family names, in every spelling.

Each row is one name in the styles of its culture, separated by ``|``. Arabic rows give
the French (Maghrebi), English, German, Dutch spellings and the Arabic script; Slavic
rows the English, French and German transliterations and the Cyrillic script. Turkish
and Western rows give the native spelling only: their plain-ASCII and German
(ae/oe/ue) spellings are derived. Names are common ones; the world combines them at
random, so no row or combination describes a real person.
"""

from __future__ import annotations

__all__ = [
    "ARABIC_FEMALE",
    "ARABIC_MALE",
    "ARABIC_STYLES",
    "LEVANTINE_FAMILY",
    "MAGHREBI_FAMILY",
    "SLAVIC_FAMILY",
    "SLAVIC_FEMALE",
    "SLAVIC_MALE",
    "SLAVIC_STYLES",
    "TURKISH_FAMILY",
    "TURKISH_FEMALE",
    "TURKISH_MALE",
    "WESTERN_FAMILY",
    "WESTERN_FEMALE",
    "WESTERN_MALE",
]

ARABIC_STYLES = ("fr", "en", "de", "nl", "ar")

ARABIC_MALE = """
Mohamed|Muhammad|Mohammed|Mohammed|محمد
Ahmed|Ahmad|Ahmed|Ahmed|أحمد
Abdelhamid|Abd al-Hamid|Abdulhamid|Abdoelhamied|عبد الحميد
Abdelkader|Abd al-Qadir|Abdulkadir|Abdelkader|عبد القادر
Abderrahmane|Abd al-Rahman|Abdurrahman|Abderrahman|عبد الرحمن
Abdallah|Abdullah|Abdullah|Abdoellah|عبد الله
Abdelaziz|Abd al-Aziz|Abdulaziz|Abdelaziz|عبد العزيز
Youssef|Yusuf|Jussuf|Joessef|يوسف
Mustapha|Mustafa|Mustafa|Moestafa|مصطفى
Khaled|Khalid|Chalid|Khalid|خالد
Karim|Karim|Karim|Kariem|كريم
Rachid|Rashid|Raschid|Rasjied|رشيد
Hassan|Hasan|Hassan|Hassan|حسن
Hocine|Husayn|Hussein|Hoessein|حسين
Omar|Umar|Omar|Oemar|عمر
Ibrahim|Ibrahim|Ibrahim|Ibrahiem|إبراهيم
Ismaïl|Ismail|Ismail|Ismaïl|إسماعيل
Mehdi|Mahdi|Mahdi|Mehdi|مهدي
Nabil|Nabil|Nabil|Nabiel|نبيل
Samir|Samir|Samir|Samier|سمير
Bilal|Bilal|Bilal|Bilal|بلال
Tarek|Tariq|Tarik|Tarik|طارق
Walid|Walid|Walid|Walied|وليد
Djamel|Jamal|Dschamal|Djamal|جمال
Hamza|Hamza|Hamza|Hamza|حمزة
Anouar|Anwar|Anwar|Anoear|أنور
Yassine|Yasin|Jassin|Yassin|ياسين
Amine|Amin|Amin|Amien|أمين
Zakaria|Zakariya|Sakaria|Zakaria|زكريا
Soufiane|Sufyan|Sufjan|Soefjan|سفيان
Othmane|Uthman|Osman|Oethman|عثمان
Ali|Ali|Ali|Ali|علي
Fayçal|Faysal|Faisal|Faisal|فيصل
Driss|Idris|Idris|Idries|إدريس
Noureddine|Nur al-Din|Nureddin|Noereddien|نور الدين
Fadi|Fadi|Fadi|Fadie|فادي
Ziad|Ziyad|Sijad|Ziyad|زياد
Rami|Rami|Rami|Ramie|رامي
Bassam|Bassam|Bassam|Bassam|بسام
Majed|Majid|Madschid|Majied|ماجد
"""

ARABIC_FEMALE = """
Fatima|Fatimah|Fatima|Fatima|فاطمة
Khadija|Khadijah|Chadidscha|Khadiedja|خديجة
Aïcha|Aisha|Aischa|Aisja|عائشة
Meriem|Maryam|Mariam|Meryem|مريم
Nadia|Nadiya|Nadja|Nadia|نادية
Samira|Samira|Samira|Samiera|سميرة
Leïla|Layla|Laila|Leila|ليلى
Amina|Aminah|Amina|Amiena|أمينة
Houria|Hurriya|Hurija|Hoeria|حورية
Zineb|Zaynab|Sainab|Zeineb|زينب
Nour|Nur|Nur|Noer|نور
Yasmina|Yasmin|Jasmin|Jasmina|ياسمين
Salma|Salma|Salma|Salma|سلمى
Hanane|Hanan|Hanan|Hanane|حنان
Souad|Suad|Suad|Soeaad|سعاد
Rania|Raniya|Rania|Rania|رانيا
"""

MAGHREBI_FAMILY = """
Ben Youssef|bin Yusuf|Ben Jussuf|Ben Joessef|بن يوسف
Benali|bin Ali|Benali|Benali|بن علي
Bouzid|Bu Zayd|Busid|Boezid|بوزيد
Belkacem|Bilqasim|Belkassem|Belkasem|بلقاسم
Haddad|Haddad|Haddad|Haddad|حداد
Mansouri|al-Mansuri|Mansuri|Mansoeri|المنصوري
El Amrani|al-Amrani|El-Amrani|El Amrani|العمراني
Benmoussa|bin Musa|Benmussa|Benmoessa|بن موسى
Cherif|Sharif|Scharif|Sjerif|شريف
Bouaziz|Bu Aziz|Buasis|Boeaziz|بوعزيز
Zeroual|Zarwal|Serwal|Zeroeal|زروال
Lahlou|Lahlu|Lahlu|Lahloe|لحلو
Tahiri|al-Tahiri|Tahiri|Tahiri|الطاهري
Kaddouri|Qadduri|Kadduri|Kaddoeri|قدوري
Saïdi|al-Saidi|Saidi|Saïdi|السعيدي
Benjelloun|bin Jallun|Bendschellun|Benjelloen|بن جلون
Messaoudi|Masudi|Messaudi|Messaoedi|مسعودي
Ouali|Wali|Wali|Ouali|والي
Hamdi|Hamdi|Hamdi|Hamdi|حمدي
Chaoui|Shawi|Schawi|Sjaoui|شاوي
"""

LEVANTINE_FAMILY = """
Khoury|al-Khuri|Churi|Choeri|خوري
Nasser|Nasir|Nasser|Nasser|ناصر
Hamdane|Hamdan|Hamdan|Hamdan|حمدان
Darwiche|Darwish|Darwisch|Darwiesj|درويش
Saleh|Salih|Saleh|Saleh|صالح
El Hassan|al-Hasan|Al-Hassan|Al Hassan|الحسن
Moussa|Musa|Mussa|Moessa|موسى
Hallak|al-Hallaq|Hallak|Hallak|الحلاق
Chami|al-Shami|Schami|Sjami|الشامي
Halabi|al-Halabi|Halabi|Halabi|الحلبي
Kassem|Qasim|Kassem|Kasem|قاسم
Jaber|Jabir|Dschaber|Djaber|جابر
Sabbagh|al-Sabbagh|Sabbagh|Sabbagh|الصباغ
Attar|al-Attar|Attar|Attar|العطار
Zein|Zayn|Sein|Zein|زين
Najjar|al-Najjar|Nadschar|Najjar|النجار
Tamimi|al-Tamimi|Tamimi|Tamimi|التميمي
Obeid|Ubayd|Obeid|Oebeid|عبيد
Khalil|Khalil|Chalil|Khaliel|خليل
Mahmoud|Mahmud|Mahmud|Mahmoed|محمود
"""

SLAVIC_STYLES = ("en", "fr", "de", "cyr")

SLAVIC_MALE = """
Aleksandr|Alexandre|Alexander|Александр
Sergey|Sergueï|Sergej|Сергей
Dmitry|Dmitri|Dmitri|Дмитрий
Andrey|Andreï|Andrej|Андрей
Alexey|Alexeï|Alexej|Алексей
Nikolay|Nikolaï|Nikolai|Николай
Vladimir|Vladimir|Wladimir|Владимир
Yuri|Iouri|Juri|Юрий
Mikhail|Mikhaïl|Michail|Михаил
Ivan|Ivan|Iwan|Иван
Oleg|Oleg|Oleg|Олег
Yevgeny|Evgueni|Jewgeni|Евгений
Ruslan|Rouslan|Ruslan|Руслан
Timur|Timour|Timur|Тимур
Artyom|Artiom|Artjom|Артём
"""

SLAVIC_FEMALE = """
Olga|Olga|Olga|Ольга
Natalya|Natalia|Natalja|Наталья
Yelena|Elena|Jelena|Елена
Tatyana|Tatiana|Tatjana|Татьяна
Svetlana|Svetlana|Swetlana|Светлана
Irina|Irina|Irina|Ирина
Anna|Anna|Anna|Анна
Yulia|Ioulia|Julija|Юлия
Marina|Marina|Marina|Марина
Yekaterina|Ekaterina|Jekaterina|Екатерина
"""

# Family names that take a feminine ending (-ov/-ev/-in → -ova/-eva/-ina) do so by rule.
SLAVIC_FAMILY = """
Ivanov|Ivanov|Iwanow|Иванов
Petrov|Petrov|Petrow|Петров
Smirnov|Smirnov|Smirnow|Смирнов
Kuznetsov|Kouznetsov|Kusnezow|Кузнецов
Popov|Popov|Popow|Попов
Sokolov|Sokolov|Sokolow|Соколов
Volkov|Volkov|Wolkow|Волков
Morozov|Morozov|Morosow|Морозов
Novikov|Novikov|Nowikow|Новиков
Gadzhiev|Gadjiev|Gadschijew|Гаджиев
Shevchenko|Chevtchenko|Schewtschenko|Шевченко
Kovalenko|Kovalenko|Kowalenko|Коваленко
Bondarenko|Bondarenko|Bondarenko|Бондаренко
Petrovic|Petrovitch|Petrowitsch|Петровић
Jovanovic|Jovanovitch|Jovanowitsch|Јовановић
"""

TURKISH_MALE = (
    "Mehmet Ahmet Mustafa Hüseyin Hasan İbrahim İsmail Osman Yusuf Murat Emre Burak "
    "Serkan Kemal Oğuz Çağlar Ömer Erdem Tolga Selim"
)
TURKISH_FEMALE = "Ayşe Fatma Emine Hatice Zeynep Elif Merve Özlem Gül Şeyma Büşra Derya"
TURKISH_FAMILY = (
    "Yılmaz Kaya Demir Şahin Çelik Yıldız Yıldırım Öztürk Aydın Özdemir Arslan Doğan "
    "Kılıç Aslan Çetin Kara Koç Kurt Özkan Şimşek Polat Korkmaz Güneş Aksoy"
)

WESTERN_MALE = (
    "Jean Pierre Nicolas Thomas Julien François Jérôme Antoine Sébastien Lukas Jürgen "
    "Stefan Jan Pieter Daan Hendrik Maarten Sven Michael David James John Robert Marco Luca"
)
WESTERN_FEMALE = (
    "Marie Sophie Camille Léa Chloé Hélène Margot Anna Lena Sarah Emma Julia Anke Sanne Eva Laura"
)
WESTERN_FAMILY = (
    "Martin Bernard Dubois Lefèvre Moreau Girard Peeters Janssens Maes Claes Müller "
    "Schmidt Schneider Fischer Weiß Jäger Schröder de_Jong Jansen de_Vries van_den_Berg "
    "Bakker Visser Smith Johnson Miller Brown Davis Wilson"
)
