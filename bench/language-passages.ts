// Two plain passages per language (a river town, learning a skill; about 35 and 50 words, or
// 70 to 100 characters where words are not spaced) that bench/voices.ts --pace reads with
// espeak-ng to measure each language's speaking rate for pacing.ts. Everyday words, no numbers.
export const LANGUAGE_PASSAGES: Record<string, readonly [string, string]> = {
  en: [
    "The small town sits beside a quiet river that winds through green fields and low hills. Every morning the baker opens his shop before the sun rises, and the smell of fresh bread fills the street.",
    "Learning a new skill takes patience and steady practice. At first every step feels slow and clumsy, but small gains add up over weeks and months. It helps to set a clear goal, to rest when you are tired, and to ask for advice from people who have walked the same road before you.",
  ],
  es: [
    "El pequeño pueblo está junto a un río tranquilo que atraviesa campos verdes y colinas bajas. Cada mañana el panadero abre su tienda antes de que salga el sol, y el olor a pan fresco llena la calle.",
    "Aprender una nueva habilidad requiere paciencia y práctica constante. Al principio cada paso parece lento y torpe, pero los pequeños avances se suman con las semanas y los meses. Ayuda fijar una meta clara, descansar cuando uno está cansado y pedir consejo a quienes ya recorrieron el mismo camino.",
  ],
  fr: [
    "La petite ville se trouve au bord d'une rivière tranquille qui traverse des champs verts et de basses collines. Chaque matin, le boulanger ouvre sa boutique avant le lever du soleil, et l'odeur du pain frais remplit la rue.",
    "Apprendre une nouvelle compétence demande de la patience et une pratique régulière. Au début, chaque pas semble lent et maladroit, mais les petits progrès s'additionnent au fil des semaines et des mois. Il est utile de se fixer un objectif clair, de se reposer quand on est fatigué et de demander conseil à ceux qui ont parcouru le même chemin.",
  ],
  de: [
    "Die kleine Stadt liegt an einem ruhigen Fluss, der sich durch grüne Felder und niedrige Hügel schlängelt. Jeden Morgen öffnet der Bäcker seinen Laden vor Sonnenaufgang, und der Duft von frischem Brot erfüllt die Straße.",
    "Eine neue Fähigkeit zu lernen braucht Geduld und regelmäßige Übung. Am Anfang wirkt jeder Schritt langsam und ungeschickt, doch kleine Fortschritte summieren sich über Wochen und Monate. Es hilft, sich ein klares Ziel zu setzen, sich auszuruhen, wenn man müde ist, und Menschen um Rat zu fragen, die denselben Weg schon gegangen sind.",
  ],
  it: [
    "La piccola città si trova accanto a un fiume tranquillo che attraversa campi verdi e basse colline. Ogni mattina il fornaio apre la sua bottega prima dell'alba, e il profumo del pane fresco riempie la strada.",
    "Imparare una nuova abilità richiede pazienza e pratica costante. All'inizio ogni passo sembra lento e goffo, ma i piccoli progressi si sommano nel corso di settimane e mesi. Aiuta fissare un obiettivo chiaro, riposare quando si è stanchi e chiedere consiglio a chi ha già percorso la stessa strada.",
  ],
  pt: [
    "A pequena cidade fica ao lado de um rio tranquilo que atravessa campos verdes e colinas baixas. Todas as manhãs o padeiro abre a sua loja antes do nascer do sol, e o cheiro de pão fresco enche a rua.",
    "Aprender uma nova habilidade exige paciência e prática constante. No início cada passo parece lento e desajeitado, mas os pequenos progressos somam-se ao longo de semanas e meses. Ajuda definir um objetivo claro, descansar quando se está cansado e pedir conselhos a quem já percorreu o mesmo caminho.",
  ],
  nl: [
    "Het kleine stadje ligt naast een rustige rivier die door groene velden en lage heuvels kronkelt. Elke ochtend opent de bakker zijn winkel voor zonsopgang, en de geur van vers brood vult de straat.",
    "Een nieuwe vaardigheid leren vraagt geduld en regelmatige oefening. In het begin voelt elke stap traag en onhandig, maar kleine vorderingen tellen op over weken en maanden. Het helpt om een duidelijk doel te stellen, te rusten als je moe bent en advies te vragen aan mensen die dezelfde weg al zijn gegaan.",
  ],
  pl: [
    "Małe miasteczko leży nad spokojną rzeką, która wije się przez zielone pola i niskie wzgórza. Każdego ranka piekarz otwiera swój sklep przed wschodem słońca, a zapach świeżego chleba wypełnia ulicę.",
    "Nauka nowej umiejętności wymaga cierpliwości i regularnej praktyki. Na początku każdy krok wydaje się powolny i niezdarny, ale małe postępy sumują się przez tygodnie i miesiące. Pomaga wyznaczenie jasnego celu, odpoczynek, gdy jest się zmęczonym, i proszenie o radę ludzi, którzy przeszli już tę samą drogę.",
  ],
  ru: [
    "Маленький город стоит у тихой реки, которая вьётся среди зелёных полей и низких холмов. Каждое утро пекарь открывает свою лавку до восхода солнца, и запах свежего хлеба наполняет улицу.",
    "Освоение нового навыка требует терпения и постоянной практики. Сначала каждый шаг кажется медленным и неуклюжим, но маленькие успехи складываются за недели и месяцы. Помогает поставить ясную цель, отдыхать, когда устал, и просить совета у тех, кто уже прошёл тот же путь.",
  ],
  uk: [
    "Маленьке місто стоїть біля тихої річки, що в'ється серед зелених полів і низьких пагорбів. Щоранку пекар відчиняє свою крамницю до сходу сонця, і запах свіжого хліба наповнює вулицю.",
    "Опанування нової навички потребує терпіння і постійної практики. Спочатку кожен крок здається повільним і незграбним, але маленькі успіхи складаються за тижні й місяці. Допомагає поставити чітку мету, відпочивати, коли втомився, і просити поради в тих, хто вже пройшов той самий шлях.",
  ],
  tr: [
    "Küçük kasaba, yeşil tarlalar ve alçak tepeler arasından kıvrılan sakin bir nehrin kenarında yer alır. Her sabah fırıncı, güneş doğmadan dükkânını açar ve taze ekmeğin kokusu sokağı doldurur.",
    "Yeni bir beceri öğrenmek sabır ve düzenli pratik ister. Başlangıçta her adım yavaş ve beceriksiz gelir, ancak küçük ilerlemeler haftalar ve aylar içinde birikir. Net bir hedef koymak, yorulduğunda dinlenmek ve aynı yoldan geçmiş insanlardan tavsiye istemek yardımcı olur.",
  ],
  ar: [
    "تقع البلدة الصغيرة بجانب نهر هادئ يتعرج بين الحقول الخضراء والتلال المنخفضة. في كل صباح يفتح الخباز متجره قبل شروق الشمس، وتملأ رائحة الخبز الطازج الشارع.",
    "يتطلب تعلم مهارة جديدة الصبر والممارسة المنتظمة. في البداية تبدو كل خطوة بطيئة وخرقاء، لكن المكاسب الصغيرة تتراكم على مدى أسابيع وشهور. من المفيد أن تضع هدفًا واضحًا، وأن ترتاح عندما تتعب، وأن تطلب النصيحة ممن سلكوا الطريق نفسه قبلك.",
  ],
  he: [
    "העיירה הקטנה שוכנת לצד נהר שקט שמתפתל בין שדות ירוקים וגבעות נמוכות. בכל בוקר האופה פותח את החנות שלו לפני הזריחה, וריח הלחם הטרי ממלא את הרחוב.",
    "לימוד מיומנות חדשה דורש סבלנות ותרגול קבוע. בהתחלה כל צעד מרגיש איטי ומגושם, אבל התקדמות קטנה מצטברת לאורך שבועות וחודשים. עוזר להציב מטרה ברורה, לנוח כשאתה עייף ולבקש עצה מאנשים שכבר הלכו באותה דרך.",
  ],
  fa: [
    "شهر کوچک در کنار رودخانه‌ای آرام قرار دارد که از میان مزارع سبز و تپه‌های کوتاه می‌گذرد. هر روز صبح نانوا پیش از طلوع آفتاب مغازه‌اش را باز می‌کند و بوی نان تازه خیابان را پر می‌کند.",
    "یادگیری یک مهارت تازه به صبر و تمرین مداوم نیاز دارد. در آغاز هر قدم کند و ناشیانه به نظر می‌رسد، اما پیشرفت‌های کوچک در طول هفته‌ها و ماه‌ها روی هم جمع می‌شوند. بهتر است هدفی روشن داشته باشید، وقتی خسته‌اید استراحت کنید و از کسانی که همین راه را رفته‌اند راهنمایی بخواهید.",
  ],
  hi: [
    "छोटा शहर एक शांत नदी के किनारे बसा है जो हरे खेतों और नीची पहाड़ियों के बीच से बहती है। हर सुबह नानबाई सूरज उगने से पहले अपनी दुकान खोलता है, और ताज़ी रोटी की खुशबू पूरी गली में फैल जाती है।",
    "कोई नया कौशल सीखने के लिए धैर्य और नियमित अभ्यास चाहिए। शुरुआत में हर कदम धीमा और अटपटा लगता है, लेकिन छोटी-छोटी प्रगति हफ्तों और महीनों में जुड़ती जाती है। एक स्पष्ट लक्ष्य तय करना, थक जाने पर आराम करना और उसी राह पर चल चुके लोगों से सलाह लेना मदद करता है।",
  ],
  bn: [
    "ছোট শহরটি একটি শান্ত নদীর পাশে অবস্থিত যা সবুজ মাঠ আর নিচু পাহাড়ের মধ্য দিয়ে বয়ে চলে। প্রতিদিন সকালে রুটিওয়ালা সূর্য ওঠার আগে তার দোকান খোলে, আর তাজা রুটির গন্ধ রাস্তা ভরিয়ে দেয়।",
    "নতুন কোনো দক্ষতা শিখতে ধৈর্য আর নিয়মিত অনুশীলন দরকার। শুরুতে প্রতিটি পদক্ষেপ ধীর আর আনাড়ি মনে হয়, কিন্তু ছোট ছোট অগ্রগতি সপ্তাহ আর মাস ধরে জমতে থাকে। একটি স্পষ্ট লক্ষ্য ঠিক করা, ক্লান্ত হলে বিশ্রাম নেওয়া এবং একই পথ পেরিয়ে আসা মানুষের কাছে পরামর্শ চাওয়া সাহায্য করে।",
  ],
  th: [
    "เมืองเล็กๆ ตั้งอยู่ริมแม่น้ำที่เงียบสงบซึ่งไหลคดเคี้ยวผ่านทุ่งนาสีเขียวและเนินเขาเตี้ยๆ ทุกเช้าคนทำขนมปังจะเปิดร้านก่อนพระอาทิตย์ขึ้น และกลิ่นขนมปังสดก็ลอยอบอวลไปทั่วถนน",
    "การเรียนรู้ทักษะใหม่ต้องใช้ความอดทนและการฝึกฝนอย่างสม่ำเสมอ ในตอนแรกทุกก้าวดูช้าและเงอะงะ แต่ความก้าวหน้าเล็กๆ จะค่อยๆ สะสมขึ้นในหลายสัปดาห์และหลายเดือน",
  ],
  vi: [
    "Thị trấn nhỏ nằm bên một dòng sông yên tĩnh uốn quanh những cánh đồng xanh và những ngọn đồi thấp. Mỗi sáng người thợ làm bánh mở cửa tiệm trước khi mặt trời mọc, và mùi bánh mì mới nướng tràn ngập con phố.",
    "Học một kỹ năng mới cần sự kiên nhẫn và luyện tập đều đặn. Lúc đầu mỗi bước đi đều có vẻ chậm chạp và vụng về, nhưng những tiến bộ nhỏ sẽ cộng dồn qua nhiều tuần và nhiều tháng. Sẽ có ích nếu đặt ra một mục tiêu rõ ràng, nghỉ ngơi khi mệt và xin lời khuyên từ những người đã đi cùng con đường.",
  ],
  id: [
    "Kota kecil itu terletak di samping sungai yang tenang yang berkelok melewati ladang hijau dan bukit rendah. Setiap pagi tukang roti membuka tokonya sebelum matahari terbit, dan aroma roti segar memenuhi jalan.",
    "Mempelajari keterampilan baru membutuhkan kesabaran dan latihan yang teratur. Pada awalnya setiap langkah terasa lambat dan canggung, tetapi kemajuan kecil terkumpul selama berminggu-minggu dan berbulan-bulan. Menetapkan tujuan yang jelas, beristirahat saat lelah, dan meminta nasihat dari orang yang sudah menempuh jalan yang sama akan membantu.",
  ],
  zh: [
    "这个小镇坐落在一条安静的小河旁边，河水蜿蜒流过绿色的田野和低矮的山丘。每天早上，面包师在太阳升起之前打开他的店门，新鲜面包的香味飘满了整条街道。",
    "学习一门新的技能需要耐心和持续的练习。开始的时候每一步都显得又慢又笨拙，但是小小的进步会在几周和几个月里慢慢积累起来。给自己定一个清楚的目标，累了就休息，并向走过同样道路的人请教。",
  ],
  "zh-Hant": [
    "這個小鎮坐落在一條安靜的小河旁邊，河水蜿蜒流過綠色的田野和低矮的山丘。每天早上，麵包師在太陽升起之前打開他的店門，新鮮麵包的香味飄滿了整條街道。",
    "學習一門新的技能需要耐心和持續的練習。開始的時候每一步都顯得又慢又笨拙，但是小小的進步會在幾週和幾個月裡慢慢累積起來。給自己定一個清楚的目標，累了就休息，並向走過同樣道路的人請教。",
  ],
  ja: [
    "小さな町は、緑の畑と低い丘の間を流れる静かな川のそばにあります。毎朝、パン屋は日の出前に店を開け、焼きたてのパンの香りが通りいっぱいに広がります。",
    "新しい技術を身につけるには、忍耐と毎日の練習が必要です。はじめは一歩一歩が遅くてぎこちなく感じますが、小さな進歩は何週間、何か月と積み重なっていきます。はっきりした目標を立て、疲れたら休み、同じ道を歩いた人に助言を求めるとよいでしょう。",
  ],
  ko: [
    "작은 마을은 푸른 들판과 낮은 언덕 사이를 굽이쳐 흐르는 조용한 강가에 자리 잡고 있습니다. 매일 아침 제빵사는 해가 뜨기 전에 가게 문을 열고, 갓 구운 빵 냄새가 거리를 가득 채웁니다.",
    "새로운 기술을 배우려면 인내와 꾸준한 연습이 필요합니다. 처음에는 한 걸음 한 걸음이 느리고 서툴게 느껴지지만, 작은 발전이 몇 주와 몇 달에 걸쳐 쌓입니다. 분명한 목표를 세우고, 지치면 쉬고, 같은 길을 먼저 걸은 사람들에게 조언을 구하는 것이 도움이 됩니다.",
  ],
};
