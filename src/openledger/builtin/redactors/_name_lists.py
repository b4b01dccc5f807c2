"""Word lists for the name redactor.

- :data:`STOP`: words that start sentences, follow greetings or name brands and
  places, and are never taken for a name;
- :data:`COMMON_SURNAMES`: surnames frequent enough to be everyday words;
- :data:`CLEAR_NAMES`: frequent first names that are also frequent words in
  some language's corpus, still taken for names;
- :data:`EPONYMOUS_BRANDS`: shops, makers and foods named after a person
  ("Ted Baker", "Harvey Norman", "Jack Daniel's"): a name found inside one is
  the brand, not a customer or a member of staff;
- :data:`AFTER_GREETING`: words after a greeting that name nobody ("thanks
  mate", "hi hun", "dear reviewer", "thanks heaps"), some of them first names too;
- :data:`EXTRA_FIRST_NAMES`: common given names from South Asia, West and East
  Africa, the Arab world, East Asia (romanised) and Irish Gaelic spellings that
  gender-guesser's European-centred dictionary lacks, written for openledger
  from general knowledge (public naming conventions, not copied from a data set).
"""

STOP = {
    # words that start sentences or follow greetings but are not names
    "i", "a", "an", "the", "my", "we", "you", "your", "our", "all", "team", "there", "everyone", "everybody", "guys",
    "folks", "sir", "madam", "sirs", "customer", "customers", "service", "services", "support", "care", "help",
    "helpdesk", "again", "so", "much", "very", "for", "in", "advance", "anyway", "and", "or", "but", "no",
    "yes", "not", "ok", "okay", "please", "regards", "thanks", "thank", "best", "kind", "from", "to", "at", "on",
    "with", "by", "this", "that", "these", "those", "it", "its", "is", "was", "be", "me", "us", "them", "him", "her",
    "he", "she", "they", "who", "what", "when", "where", "why", "how", "if", "as", "of", "also", "just", "still",
    "here", "now", "then", "today", "tomorrow", "yesterday", "morning", "afternoon", "evening", "night",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march",
    "april", "may", "june", "july", "august", "september", "october", "november", "december", "mon", "tue", "wed",
    "thu", "fri", "sat", "sun", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "mr", "mrs", "ms", "miss", "dr", "manager", "agent", "complaints", "complaint", "department", "dept", "order",
    "account", "ticket", "booking", "refund", "delivery", "parcel", "package", "phone", "email", "mail", "online",
    "chat", "live", "store", "shop", "branch", "bank", "airline", "flight", "hotel", "app", "website", "site",
    "company", "corporate", "head", "office", "hq", "ceo", "cc", "ps", "re", "fw", "fwd", "subject", "hallo",
    "le", "la", "les", "de", "du", "des", "un", "une", "et", "der", "die", "das", "und", "el", "los", "las", "y",
    "mein", "meine", "ma", "mes", "mi", "mis", "sehr", "geehrte", "geehrter", "damen", "herren",
    "madame", "monsieur", "messieurs", "señor", "señora", "señores", "equipo", "équipe", "tous", "todos", "alle",
    "lol", "omg", "wtf", "smh", "tbh", "btw", "fyi", "asap", "pls", "plz", "dm", "rt", "via", "uk", "usa", "eu", "nhs", "covid", "christmas", "xmas", "easter", "black", "prime", "plus", "pro", "max", "mini",
    "god", "jesus", "lord", "twitter", "facebook", "instagram", "google", "amazon", "apple", "microsoft", "samsung",
    "netflix", "uber", "paypal", "visa", "mastercard", "iphone", "ipad", "android", "windows", "xbox", "playstation",
    "sky", "virgin", "delta", "united", "southwest", "american", "british", "airways", "verizon", "comcast",
    "xfinity", "spectrum", "tesco", "sainsburys", "argos", "ikea", "walmart", "target", "chase", "citi", "wells",
    "fargo", "vodafone", "orange", "telekom", "movistar", "ryanair", "easyjet", "lufthansa", "emirates", "jet",
    "hermes", "evri", "dhl", "fedex", "ups", "usps", "royal", "post", "deutsche", "bahn", "renfe", "sncf",
    "eurostar", "expedia", "airbnb", "trustpilot", "hello", "hi", "dear", "hey", "good", "thurs",
    "tues", "weds", "thur", "ref", "fao", "attn", "sent", "galaxy", "pixel",
    "im", "ive", "id", "ill", "dont", "cant", "wont", "didnt", "doesnt", "isnt", "do", "am", "does", "did",
    "kinda", "gonna", "wanna", "gotta", "lies", "constant", "ya", "yo", "u", "ur", "thx", "ty", "ebay",
    "il", "lo", "gli", "het", "een", "olá", "ola", "hej", "hoi", "ciao", "buongiorno", "grüezi", "servus", "beste", "geachte", "xx", "xxx",
    "hang", "file", "sup", "theres", "there's", "airasia", "alexa", "siri", "cortana", "bixby", "co",
}
COMMON_SURNAMES = {
    # surnames frequent enough to be everyday words in some corpus
    "smith", "brown", "jones", "williams", "taylor", "davies", "wilson", "evans", "thomas", "johnson", "roberts",
    "walker", "wright", "robinson", "thompson", "white", "hughes", "edwards", "green", "hall", "wood", "harris",
    "lewis", "martin", "jackson", "clarke", "clark", "turner", "hill", "scott", "cooper", "morris", "ward", "moore",
    "king", "watson", "baker", "young", "allen", "miller", "davis", "garcia", "rodriguez", "martinez", "lee",
    "perez", "anderson", "lopez", "gonzalez", "hernandez", "murphy", "kelly", "byrne", "ryan", "walsh", "o'brien",
    "müller", "schmidt", "schneider", "fischer", "weber", "meyer", "wagner", "becker", "schulz", "hoffmann",
    "bernard", "dubois", "durand", "leroy", "moreau", "simon", "laurent", "lefebvre", "michel", "fernandez",
    "sanchez", "gomez", "ruiz", "diaz", "singh", "kumar", "sharma", "patel", "khan", "ali", "ahmed", "shah", "long",
    "price", "page", "rose", "grant", "bell", "wells", "fox", "stone", "cook",
}
#: words after a greeting that name nobody: what anyone is called ("thanks mate,", "cheers bruv!", "hi hun,"), a role
#: ("dear reviewer,") or how much thanks ("thanks heaps"); some are first names too
AFTER_GREETING = frozenset({
    "mate", "hun", "hon", "buddy", "bud", "pal", "babe", "bro", "bruv", "fam", "yall", "y'all", "lads", "guys", "folks",
    "peeps", "dude", "fella", "chief", "boss", "champ", "love", "luv", "darling", "sweetie", "sis", "man", "sir", "madam",
    "maam", "ma'am", "team", "all", "everyone", "there", "bestie", "babes", "pet", "duck", "chuck", "cuz", "fellas",
    "reviewer", "customer", "client", "colleague", "colleagues", "member", "members", "manager", "agent", "staff",
    "support", "friend", "friends", "neighbour", "neighbor", "user", "users", "officer", "representative", "rep",
    "siri", "alexa", "heaps", "loads", "lots", "tons", "muchly", "again", "anyway", "anyways", "though",
})

CLEAR_NAMES = {
    # frequent first names that are also frequent words in some language's corpus
    "john", "david", "james", "michael", "george", "paul", "peter", "william", "robert", "thomas", "tom", "chris",
    "mike", "richard", "joe", "mary", "charles", "henry", "martin", "harry", "scott", "steve", "ben", "sam", "tony",
    "bob", "alex", "daniel", "jim", "nick", "ryan", "adam", "andrew", "kevin", "matt", "edward", "joseph", "dan",
    "tim", "stephen", "sarah", "jane", "dave", "anna", "maria", "laura", "emma", "lisa", "julia", "hans", "pierre",
    "jean", "marie", "carlos", "jose", "juan", "luis", "pedro", "ana", "elena", "sofia", "lucas", "louis",
}

# brands, shops and makers named after a person (or shaped like a person's name), written for openledger
# from general knowledge of retail, food, drink and fashion names in the countries customers here write from
EPONYMOUS_BRANDS = (
    # fashion, shoes, beauty
    "Ted Baker", "Dr Martens", "Doc Martens", "Jack Wills", "Tommy Hilfiger", "Calvin Klein", "Ralph Lauren",
    "Laura Ashley", "Jo Malone", "Hugo Boss", "Kate Spade", "Michael Kors", "Jimmy Choo", "Tory Burch", "Vera Wang",
    "Ben Sherman", "Fred Perry", "Karen Millen", "Stella McCartney", "Alexander McQueen", "Vivienne Westwood",
    "Charles Tyrwhitt", "Cath Kidston", "Orla Kiely", "Joe Browns", "Jack & Jones", "Marc Jacobs", "Estée Lauder",
    "Estee Lauder", "Bobbi Brown", "Charlotte Tilbury", "Victoria's Secret", "Louis Vuitton", "Christian Dior",
    "Yves Saint Laurent", "Pierre Cardin", "Giorgio Armani", "Tom Tailor", "Marc O'Polo", "Gerry Weber",
    "Thomas Sabo", "Paul Mitchell", "John Frieda", "Levi Strauss", "Kurt Geiger", "Russell & Bromley",
    "Emma Bridgewater", "Jack Wolfskin",
    # shops and chains
    "Harvey Norman", "Harvey Nichols", "John Lewis", "Marks & Spencer", "Marks and Spencer",
    "Dick's Sporting Goods", "Trader Joe's", "Kohl's", "Macy's", "Dillard's", "Lowe's", "Sainsbury's",
    "Holland & Barrett", "Fortnum & Mason", "Dunnes Stores", "Thomas Cook", "Ashley Furniture", "Bob's Discount",
    # food and drink
    "Jack Daniel's", "Jack Daniels", "Johnnie Walker", "Jim Beam", "Captain Morgan", "Ben & Jerry's",
    "Ben and Jerry's", "Tim Hortons", "Tim Horton's", "Jimmy John's", "Papa John's", "Wendy's", "Marie Callender's",
    "Betty Crocker", "Uncle Ben's", "Aunt Jemima", "Dr Pepper", "Dr Oetker", "Mrs Baird's", "Mrs Fields",
    "Arby's", "Denny's", "Carl's Jr", "Domino's", "McDonald's", "Little Caesars", "Jersey Mike's", "Auntie Anne's",
    "Nando's", "Frankie & Benny's", "Harry Ramsden's", "Baskin Robbins", "Kellogg's", "Hellmann's", "Mr Kipling",
    # household goods, makers, services
    "Ninja Foodi", "Morphy Richards", "Russell Hobbs", "Kenwood Chef", "Henry Hoover", "Black & Decker",
    "Sherwin Williams", "Charles Schwab", "Merrill Lynch", "Morgan Stanley", "Goldman Sachs",
    "Harley Davidson", "Rolls Royce", "Aston Martin", "Mercedes Benz",
)

EXTRA_FIRST_NAMES = frozenset(
    """
    aarav aarti abhay abhijit abhishek aditi aditya ajay akash akshay alok amit amita amitabh amrita anand anil anita
    anjali ankit ankita anupam anuradha anusha aparna archana arjun arun aruna arvind ashish ashok asha ashwin
    bharat bhavna chandra chetan deepa deepak deepika devendra dhruv dinesh divya ganesh gaurav geeta girish gopal
    govind harish harsh hemant indira ishaan jaya jayant jitendra jyoti kabir kailash kamal kavita kavya kiran
    krishna kunal lakshmi lalit madhu mahesh manish manoj meena meera mohan mukesh nandini naresh naveen neha
    nikhil nisha nitin pallavi pankaj pooja prakash pranav prashant pratik praveen preeti priya priyanka radha
    rahul raj rajesh rajiv rakesh ramesh ravi rekha rohan rohit sachin sandeep sangeeta sanjay sanjeev santosh
    sapna sarita satish shalini shanti shekhar shilpa shiv shreya shubham smita sneha sonal sonia subhash sudha
    sumit sunil sunita suresh swati tanvi tarun tushar uma usha varun vijay vikas vikram vinay vinod vishal
    yash yogesh venkatesh srinivas lakshman murali raghav siddharth ananya aishwarya sriram karthik vivek
    gurpreet harpreet manpreet jaspreet simran navjot baljit amandeep ravinder kuldeep
    imran ayesha fatima zainab omar ahmed mohammed muhammad mohamed hassan hussain ali bilal tariq asif farah
    yasmin layla nadia samira khalid yusuf ibrahim mustafa karim rashid salma amina hamza zara aisha saima
    olumide oluwaseun adebayo chinedu chukwuemeka ngozi nkechi adaeze emeka obinna tunde babatunde folake
    funmilayo kemi yetunde segun kwame kofi kwabena akosua abena ama yaw kojo efua amara chidi ifeoma uche
    wanjiru wanjiku kamau njeri otieno achieng akinyi odhiambo thabo sipho lerato thandiwe nomvula bongani
    wei jing li ming hui xin yan ying jun hao lei yuki haruto yuto sota hina aoi sakura ren minjun seojun
    jiwoo minji seoyeon thanh linh minh huong tuan trang
    aoife niamh sinead siobhan caoimhe saoirse roisin clodagh grainne eimear orla ciara cian oisin padraig
    eoin darragh tadhg ruairi cathal fionn sean seamus diarmuid donal fiachra aisling mairead
    """.split()
)
